import { ConflictError, DomainError, NotFoundError, UnauthorizedError, UnknownMarketplaceError, ValidationError } from '../../../../lambdas/domain/errors.js';
import { MARKETPLACE_CODES } from '../../../../lambdas/domain/marketplaces.js';

describe('errors the caller can act on', () => {
  it.each([
    ['ValidationError', new ValidationError('Bad.'), 'VALIDATION_FAILED', 400],
    ['UnknownMarketplaceError', new UnknownMarketplaceError('GB'), 'UNKNOWN_MARKETPLACE', 400],
    ['UnauthorizedError', new UnauthorizedError(), 'UNAUTHORIZED', 401],
    ['NotFoundError', new NotFoundError('NO_AUTHORIZATION', 'None.'), 'NO_AUTHORIZATION', 404],
    ['ConflictError', new ConflictError('TOKEN_EXPIRED', 'Expired.'), 'TOKEN_EXPIRED', 409],
  ])('%s has code %s and status %i', (_name, error, code, status) => {
    expect(error).toBeInstanceOf(DomainError);
    expect(error).toMatchObject({ code, httpStatus: status });
    expect(error.name).toBe(error.constructor.name);
    expect(error.code).toMatch(/^[A-Z][A-Z0-9_]*$/);
    expect(error.message).toMatch(/\.$/);
  });

  it('names an unknown marketplace code and lists the valid ones', () => {
    const error = new UnknownMarketplaceError('GB');

    expect(error.message).toBe(`"GB" is not a supported Amazon marketplace. Use one of: ${MARKETPLACE_CODES.join(', ')}.`);
    expect(error.details).toEqual({ validMarketplaces: MARKETPLACE_CODES });
  });

  it.each([`GB${'x'.repeat(100)}`, '<script>alert(1)</script>', 'Atzr|IwEBIexample', 'UK%2F..'])('never repeats a value that is not shaped like a code (%s)', (value) => {
    const error = new UnknownMarketplaceError(value);

    expect(error.message).toBe(`That is not a supported Amazon marketplace. Use one of: ${MARKETPLACE_CODES.join(', ')}.`);
  });

  it('keeps the cause', () => {
    const cause = new Error('root');

    expect(new DomainError('X', 500, 'Failed.', undefined, { cause }).cause).toBe(cause);
  });
});
