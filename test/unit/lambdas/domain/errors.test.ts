import { readFileSync } from 'node:fs';
import {
  AmazonUnavailableError,
  AppCredentialsInvalidError,
  AuthorizationRevokedError,
  CallerNotAllowedError,
  ConfigError,
  ConflictError,
  DomainError,
  ERROR_STATUS,
  NoAuthorizationError,
  NotFoundError,
  PayloadTooLargeError,
  ReturnPathError,
  RotationTooSoonError,
  StageConfigError,
  SweepAbortedError,
  TokenExpiredError,
  UnauthorizedError,
  UnknownMarketplaceError,
  ValidationError,
} from '../../../../lambdas/domain/errors.js';
import {
  AmazonTransientError,
  AppCredentialsUnavailableError,
  ConcurrentUpdateError,
  LwaInvalidClientError,
  LwaInvalidGrantError,
  LwaOAuthError,
  RotationRefusedError,
  SecretNotFoundError,
  SellersApiError,
  StatusConflictError,
} from '../../../../lambdas/ports/failures.js';

describe('the code→status table', () => {
  it.each([
    new ValidationError('Bad.'),
    new PayloadTooLargeError(16 * 1024),
    new UnknownMarketplaceError('GB'),
    new UnauthorizedError(),
    new CallerNotAllowedError(),
    new NotFoundError('NO_AUTHORIZATION', 'None.'),
    new ConflictError('CONCURRENT_UPDATE', 'Changed.'),
    new ConflictError('NOT_REGISTERED', 'Not registered.'),
    new NoAuthorizationError('UK'),
    new TokenExpiredError('UK'),
    new AuthorizationRevokedError('UK'),
    new AppCredentialsInvalidError(),
    new AmazonUnavailableError(2),
  ])('gives $name ($code) its status', (error: DomainError) => {
    expect(error.httpStatus).toBe(ERROR_STATUS[error.code as keyof typeof ERROR_STATUS]);
  });

  it.each(['docs/venues.md', 'docs/tokens.md'])('is what the error table of %s says', (doc) => {
    const rows = readFileSync(doc, 'utf8')
      .split('\n')
      .flatMap((line) => {
        const row = /^\| (\d{3}) \| ([^|]+) \|/.exec(line);
        return row ? [...(row[2] ?? '').matchAll(/`([A-Z][A-Z0-9_]+)`/g)].map((code) => [code[1], Number(row[1])] as const) : [];
      });

    expect(rows.length).toBeGreaterThan(5);
    for (const [code, status] of rows) expect([code, ERROR_STATUS[code as keyof typeof ERROR_STATUS]]).toEqual([code, status]);
  });
});

describe('errors that are never an HTTP answer, and adapter failures', () => {
  it.each([
    ['ReturnPathError', new ReturnPathError(['/settings/venues']), 'RETURN_PATH_NOT_ALLOWED'],
    ['RotationTooSoonError', new RotationTooSoonError(new Date(0)), 'ROTATION_TOO_SOON'],
    ['SweepAbortedError', new SweepAbortedError({ examined: 0, eventsSent: 0, passed: 0, failed: 0, skipped: 0, durationMs: 0 }, { cause: null }), 'SWEEP_ABORTED'],
    ['ConfigError', new ConfigError('TABLE_NAME: is required'), 'CONFIG_INVALID'],
    ['StageConfigError', new StageConfigError('stages: missing'), 'STAGE_CONFIG_INVALID'],
    ['LwaInvalidGrantError', new LwaInvalidGrantError(), 'LWA_INVALID_GRANT'],
    ['LwaInvalidClientError', new LwaInvalidClientError(), 'LWA_INVALID_CLIENT'],
    ['LwaOAuthError', new LwaOAuthError('invalid_scope', 400), 'LWA_OAUTH_ERROR'],
    ['AmazonTransientError', new AmazonTransientError('LWA refresh'), 'AMAZON_TRANSIENT'],
    ['SellersApiError', new SellersApiError(403), 'SELLERS_API_REFUSED'],
    ['RotationRefusedError', new RotationRefusedError(400, 'InvalidInput'), 'ROTATION_REFUSED'],
    ['AppCredentialsUnavailableError', new AppCredentialsUnavailableError('the app secret could not be read'), 'APP_CREDENTIALS_UNAVAILABLE'],
    ['SecretNotFoundError', new SecretNotFoundError(), 'SECRET_NOT_FOUND'],
    ['ConcurrentUpdateError', new ConcurrentUpdateError('venue UK'), 'CONCURRENT_UPDATE'],
    ['StatusConflictError', new StatusConflictError(), 'STATUS_CONFLICT'],
  ])('%s has its stable code and the name logs print, and is no DomainError', (name, error: Error & { code: string }, code) => {
    expect(error.code).toBe(code);
    expect(error.name).toBe(name);
    expect(error).not.toBeInstanceOf(DomainError);
  });
});
