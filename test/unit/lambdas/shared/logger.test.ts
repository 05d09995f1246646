import { jest } from '@jest/globals';
import { Logger, logger, redactSecrets } from '../../../../lambdas/shared/logger.js';
import { captureOutput } from '../../../builders/output.js';

/** S11/S12 defence in depth: whatever a log line quotes, an LWA token or client secret never reaches it. */

const output = captureOutput();

describe('redactSecrets', () => {
  it.each([
    ['a refresh token', 'token Atzr|IwEBIA-x_y.z9 end', 'token [redacted] end'],
    ['an access token', 'x-amz-access-token: "Atza|IwEBIJ8aZ" is invalid', 'x-amz-access-token: "[redacted]" is invalid'],
    ['a URL-encoded token in a form body', 'refresh_token=Atzr%7CIwEB%2Bq&client_id=amzn1.application-oa2-client.1', 'refresh_token=[redacted]&client_id=amzn1.application-oa2-client.1'],
    ['a client secret', 'client_secret=amzn1.oa2-cs.v1.0123abcd&grant_type=x', 'client_secret=[redacted]&grant_type=x'],
  ])('cuts %s out of a string', (_name, input, expected) => {
    expect(redactSecrets(input)).toBe(expected);
  });

  it('leaves ids, codes of the domain and ordinary text alone', () => {
    const text = 'grant EU#A3AUTHSELLER01 alarm=GRANT_WRITE_FAILED client amzn1.application-oa2-client.test Atlas|x';
    expect(redactSecrets(text)).toBe(text);
  });
});

describe('logger', () => {
  it('redacts every string of a log line: message, keys added for the request, nested values and errors', () => {
    // Prepare
    const leaky = new TypeError('fetch failed for body grant_type=refresh_token&refresh_token=Atzr%7CMARKER1&client_secret=amzn1.oa2-cs.v1.MARKER2');
    logger.appendKeys({ requestId: 'req-Atza|MARKER3' });
    // Act
    logger.error('request failed Atzr|MARKER4', { errorMessage: leaky.message, nested: { list: ['Atza|MARKER5'] }, error: leaky });
    logger.resetKeys();
    // Assess
    const line = output.join('');
    expect(line).toContain('request failed [redacted]');
    expect(line).not.toMatch(/MARKER[1-5]|Atz[ar]\||Atz[ar]%7C|oa2-cs/);
    expect(JSON.parse(line.trim()).level).toBe('ERROR');
  });
});

describe('Logger', () => {
  const lines = () => output.join('').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Record<string, unknown>);

  it('writes one JSON object per line with level, message, timestamp and service first, so Lambda filters by level and metric filters read the keys', () => {
    const log = new Logger({ LOG_LEVEL: 'INFO' });
    log.info('sweep finished', { due: 3, alarm: 'X' });
    const [line] = lines();
    expect(Object.keys(line!).slice(0, 4)).toEqual(['level', 'message', 'timestamp', 'service']);
    expect(line).toMatchObject({ level: 'INFO', message: 'sweep finished', service: 'aob-amazon-connect', due: 3, alarm: 'X' });
    expect(new Date(String(line!.timestamp)).toISOString()).toBe(line!.timestamp);
  });

  it.each([
    [{ AWS_LAMBDA_LOG_LEVEL: 'ERROR', LOG_LEVEL: 'DEBUG' }, ['ERROR']],
    [{ AWS_LAMBDA_LOG_LEVEL: 'warn' }, ['WARN', 'ERROR']],
    [{ LOG_LEVEL: 'DEBUG' }, ['DEBUG', 'INFO', 'WARN', 'ERROR']],
    // A Powertools variable is not read: the service has no Powertools.
    [{ POWERTOOLS_LOG_LEVEL: 'ERROR' }, ['INFO', 'WARN', 'ERROR']],
    [{ LOG_LEVEL: 'LOUD' }, ['INFO', 'WARN', 'ERROR']],
    [{}, ['INFO', 'WARN', 'ERROR']],
  ])('takes its level from Lambda, then LOG_LEVEL, else INFO (%j)', (env, written) => {
    const log = new Logger(env);
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(lines().map((l) => l.level)).toEqual(written);
  });

  it('sends WARN and ERROR to stderr and the rest to stdout', () => {
    jest.restoreAllMocks();
    const out: string[] = [];
    const err: string[] = [];
    jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (out.push(String(chunk)), true));
    jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (err.push(String(chunk)), true));
    const log = new Logger({ LOG_LEVEL: 'DEBUG' });
    log.debug('d');
    log.info('i');
    log.warn('w');
    log.error('e');
    expect(out.map((l) => JSON.parse(l).message)).toEqual(['d', 'i']);
    expect(err.map((l) => JSON.parse(l).message)).toEqual(['w', 'e']);
  });

  it('carries the request keys until they are reset and the invocation until the next one, and marks only the first invocation as a cold start', () => {
    const log = new Logger({});
    const context = { functionName: 'ListVenues', awsRequestId: 'req-1', memoryLimitInMB: '256', invokedFunctionArn: 'arn:aws:lambda:eu-west-1:1:function:ListVenues' };
    log.addContext(context);
    log.appendKeys({ route: 'GET /v1/amazon/venues', requestId: 'api-1' });
    log.info('first');
    log.resetKeys();
    log.info('between');
    log.addContext({ ...context, awsRequestId: 'req-2' });
    log.info('second');
    const [first, between, second] = lines();
    expect(first).toMatchObject({ cold_start: true, function_name: 'ListVenues', function_request_id: 'req-1', function_memory_size: 256, route: 'GET /v1/amazon/venues', requestId: 'api-1' });
    expect(between).not.toHaveProperty('route');
    expect(between).toMatchObject({ function_request_id: 'req-1' });
    expect(second).toMatchObject({ cold_start: false, function_request_id: 'req-2' });
    expect(second).not.toHaveProperty('route');
  });

  it.each(['provisioned-concurrency', 'snap-start'])('reports no cold start in an environment initialised ahead of its first request (%s)', (type) => {
    const log = new Logger({ AWS_LAMBDA_INITIALIZATION_TYPE: type });
    log.addContext({ functionName: 'ListVenues', awsRequestId: 'req-1' });
    log.info('first');
    expect(lines()[0]).toMatchObject({ cold_start: false });
  });

  it('never lets an attribute replace level, message, timestamp or service (the alarms filter on $.level)', () => {
    new Logger({}).error('sweep stopped early', { level: 'INFO', message: 'other', timestamp: 'then', service: 'x', due: 1 });
    const [line] = lines();
    expect(line).toMatchObject({ level: 'ERROR', message: 'sweep stopped early', service: 'aob-amazon-connect', due: 1 });
    expect(line!.timestamp).not.toBe('then');
  });

  it('adds the X-Ray trace id when Lambda provides one', () => {
    process.env._X_AMZN_TRACE_ID = 'Root=1-5759e988-bd862e3fe1be46a994272793;Parent=53995c3f42cd8ad8;Sampled=1';
    try {
      new Logger({}).info('traced');
    } finally {
      delete process.env._X_AMZN_TRACE_ID;
    }
    expect(lines()[0]).toMatchObject({ xray_trace_id: '1-5759e988-bd862e3fe1be46a994272793' });
  });

  it('writes an error as its name, message, stack, cause and the SDK fields worth reading, never the raw HTTP answer', () => {
    const log = new Logger({});
    const sdkError = Object.assign(new Error('Rate exceeded', { cause: new Error('inner') }), { name: 'ThrottlingException', $fault: 'client', $metadata: { httpStatusCode: 400, requestId: 'r-1' }, $response: { body: 'refresh_token=secret-body' } });
    log.error('failed', { error: sdkError });
    const [line] = lines();
    expect(line!.error).toMatchObject({ name: 'ThrottlingException', message: 'Rate exceeded', $fault: 'client', $metadata: { httpStatusCode: 400, requestId: 'r-1' }, cause: { name: 'Error', message: 'inner' } });
    expect(String((line!.error as { stack: string }).stack)).toContain('Rate exceeded');
    expect(JSON.stringify(line)).not.toContain('secret-body');
  });

  it('writes a reference back to an enclosing object as [Circular] and keeps every other key of the line', () => {
    const log = new Logger({});
    log.addContext({ functionName: 'CompleteAuthorization', awsRequestId: 'req-9' });
    const circular: Record<string, unknown> = { id: 'c' };
    circular.self = circular;
    const shared = { n: 1 };
    log.error('odd value Atzr|MARKER6', { alarm: 'ACCOUNT_MISMATCH', circular, twice: [shared, shared] });
    const [line] = lines();
    expect(line).toMatchObject({ level: 'ERROR', message: 'odd value [redacted]', alarm: 'ACCOUNT_MISMATCH', function_request_id: 'req-9', circular: { id: 'c', self: '[Circular]' }, twice: [{ n: 1 }, { n: 1 }] });
    expect(JSON.stringify(line)).not.toContain('MARKER6');
  });

  it('keeps the line and the invocation when a value cannot be serialised at all', () => {
    const log = new Logger({});
    log.addContext({ functionName: 'Sweep', awsRequestId: 'req-3' });
    log.error('bad value', { alarm: 'X', bad: { toJSON: () => { throw new Error('no'); } } });
    expect(lines()[0]).toMatchObject({ level: 'ERROR', message: 'bad value', function_request_id: 'req-3', logError: 'attributes could not be serialised' });
  });

  it('redacts secrets in keys as well as values', () => {
    new Logger({}).warn('odd keys', { nested: { 'Atza|MARKER7': 1, fine: 2 } });
    const [line] = lines();
    expect(JSON.stringify(line)).not.toContain('MARKER7');
    expect(line!.nested).toEqual({ '[redacted]': 1, fine: 2 });
  });

  it('writes a bigint as its digits', () => {
    new Logger({}).info('counted', { count: 10n });
    expect(lines()[0]).toMatchObject({ count: '10' });
  });
});
