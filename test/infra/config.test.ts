import { loadStageConfig, parseStageConfig } from '../../lib/config.js';
import { StageConfigError } from '../../lambdas/domain/errors.js';
import { CDK_CONTEXT, stageConfig } from './support.js';

const validDev = (CDK_CONTEXT.stages as Record<string, Record<string, unknown>>).dev as Record<string, unknown>;

function problemsOf(stage: string, raw: unknown): string {
  try {
    parseStageConfig(stage, raw);
  } catch (error) {
    expect(error).toBeInstanceOf(StageConfigError);
    return (error as Error).message;
  }
  throw new Error('expected the configuration to be rejected');
}

describe('stage configuration (cdk.json context, checked at synth)', () => {
  it('the dev stage of cdk.json is complete: a clean checkout synthesizes without flags', () => {
    // Act
    const config = loadStageConfig((key) => CDK_CONTEXT[key]);

    // Assess
    expect(config.stage).toBe('dev');
    expect(config.jwt.issuer).toMatch(/^https:\/\//);
    expect(config.sweepSchedule).toBe('rate(1 hour)');
    expect(config.pageThreshold).toBe('1d');
  });

  it('fills every optional key with its default', () => {
    // Act
    const config = parseStageConfig('qa', { jwt: { issuer: 'https://id.example.com/', audience: ['aob'] } });

    // Assess
    expect(config).toMatchObject({
      draftApp: false,
      frontend: { connectPath: '/settings/venues/amazon/connect', returnPaths: ['/settings/venues'] },
      jwt: { accountClaim: 'custom:accountId' },
      alertThresholds: '30d,1d',
      sweepSchedule: 'rate(1 hour)',
      logLevel: 'INFO',
      throttling: { rateLimit: 50, burstLimit: 100, browserRateLimit: 10, browserBurstLimit: 20 },
      logRetentionDays: 365,
      secretRecoveryDays: 30,
    });
    expect(config.frontend.url).toBeUndefined();
    expect(config.onCallEmail).toBeUndefined();
  });

  it('names the full context key of each bad value', () => {
    // Act
    const message = problemsOf('dev', {
      ...validDev,
      frontend: { url: 'http://app.aob.com', returnPaths: ['settings'] },
      jwt: { issuer: 'http://id.example.com/', audience: [] },
      sweepSchedule: 'every hour',
      onCallEmail: 'not-an-email',
      logRetentionDays: 10,
    });

    // Assess
    expect(message).toContain('stages.dev.frontend.url: must be an https URL');
    expect(message).toContain('stages.dev.frontend.returnPaths.0: must be a path');
    expect(message).toContain('stages.dev.jwt.issuer: must be an https URL');
    expect(message).toContain('stages.dev.jwt.audience:');
    expect(message).toContain('stages.dev.sweepSchedule: must be an EventBridge schedule expression');
    expect(message).toContain('stages.dev.onCallEmail:');
    expect(message).toContain('stages.dev.logRetentionDays: must be one of');
  });

  it('names the key of a frontend URL that is not a URL at all, instead of failing the synth with a bare TypeError', () => {
    // Act
    const message = problemsOf('dev', { ...validDev, frontend: { url: 'not a url' } });

    // Assess
    expect(message).toContain('stages.dev.frontend.url: Invalid URL');
  });

  it('rejects unknown keys by name, so a typo never silently falls back to a default', () => {
    expect(problemsOf('dev', { ...validDev, logRetention: 30 })).toContain('stages.dev.logRetention: Unrecognized key');
    expect(problemsOf('dev', { ...validDev, throttling: { rate: 5 } })).toContain('stages.dev.throttling.rate: Unrecognized key');
  });

  it('reports missing required keys of a stage, e.g. a prod entry without its identity provider', () => {
    expect(problemsOf('prod', { draftApp: false })).toContain('stages.prod.jwt:');
  });

  it("cdk.json's prod entry cannot be deployed until ops add the identity provider", () => {
    expect(() => loadStageConfig((key) => (key === 'stage' ? 'prod' : CDK_CONTEXT[key]))).toThrow('stages.prod.jwt.issuer: Invalid input: expected string, received undefined\nstages.prod.jwt.audience: Invalid input');
  });

  it('validates the warning thresholds with the same rules as the sweep', () => {
    expect(problemsOf('dev', { ...validDev, alertThresholds: '30d,400d' })).toContain('stages.dev.alertThresholds: "400d" must be shorter than the 365-day authorization');
  });

  it('pages on the most urgent configured threshold', () => {
    expect(stageConfig('dev', { alertThresholds: '30d,7d,12h' }).pageThreshold).toBe('12h');
  });

  it('accepts rate and cron schedules and rejects a plural unit with 1', () => {
    expect(stageConfig('dev', { sweepSchedule: 'rate(15 minutes)' }).sweepSchedule).toBe('rate(15 minutes)');
    expect(stageConfig('dev', { sweepSchedule: 'cron(5 * * * ? *)' }).sweepSchedule).toBe('cron(5 * * * ? *)');
    expect(problemsOf('dev', { ...validDev, sweepSchedule: 'rate(1 hours)' })).toContain('singular unit');
  });

  it('refuses a frontend URL with a path: CORS and redirects need a bare origin', () => {
    expect(problemsOf('dev', { ...validDev, frontend: { url: 'https://app.aob.com/settings' } })).toContain('stages.dev.frontend.url: must be an origin');
  });

  it('says which stage is missing and which exist', () => {
    expect(() => loadStageConfig((key) => (key === 'stage' ? 'staging' : CDK_CONTEXT[key]))).toThrow('stage: "staging" has no entry under context.stages (configured: dev, prod)');
  });

  it('rejects a stage name the functions would reject', () => {
    expect(() => parseStageConfig('Prod', validDev)).toThrow(/stage: "Prod" is not a stage name/);
  });
});
