import { jest } from '@jest/globals';
import { logger, redactSecrets } from '../../../lambdas/shared/logger.js';

/** S11/S12 defence in depth: whatever a log line quotes, an LWA token or client secret never reaches it. */

let output: string[] = [];
beforeEach(() => {
  output = [];
  logger.setLogLevel('DEBUG');
  jest.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
  jest.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => (output.push(String(chunk)), true));
});
afterEach(() => {
  jest.restoreAllMocks();
  logger.setLogLevel('WARN');
});

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
