import * as fc from 'fast-check';
import * as REQUESTS from '../../../../lambdas/contract/requests.js';
import * as v from 'valibot';
import { ValidationError } from '../../../../lambdas/domain/errors.js';
import { type HttpEvent, errorResponse, jsonBody } from '../../../../lambdas/shared/http.js';

/** Error bodies never repeat what the caller sent as a field name unless it looks like one (no token, code or markup echoed). */

const Schema = v.strictObject({ returnPath: v.optional(v.pipe(v.string(), v.regex(/^\/[a-z/]*$/, 'must be a path'))), nested: v.optional(v.strictObject({ ok: v.boolean() })) });
const request = (body: unknown) => ({ body: JSON.stringify(body), isBase64Encoded: false }) as unknown as HttpEvent;
const refusal = (body: unknown) => {
  try {
    jsonBody(request(body), Schema);
  } catch (error) {
    if (error instanceof ValidationError) return { error, text: String(errorResponse(error).body) };
  }
  throw new Error('expected a ValidationError');
};

it('names an unknown field that looks like a field name', () => {
  const { error, text } = refusal({ accountId: 'acct-other' });
  expect(error.message).toBe('The request body is not valid: body: Unknown field: "accountId"');
  expect(text).not.toContain('acct-other');
});

it.each([
  ['an LWA token', 'Atzr|MARKER-REFRESH-ECHO'],
  ['markup', '<img src=x onerror=alert(1)>'],
  ['a long value', 'A'.repeat(300)],
])('never repeats %s sent as a field name, at the top or nested', (_name, key) => {
  for (const body of [{ [key]: 1 }, { nested: { ok: true, [key]: 1 } }]) {
    const { error, text } = refusal(body);
    expect(text).not.toContain(key);
    expect(text).not.toContain(JSON.stringify(key).slice(1, -1));
    expect(error.message).toContain('a field with an unexpected name');
  }
});

it('never repeats a rejected value', () => {
  const { text } = refusal({ returnPath: 'https://evil.example/Atzr|MARKER' });
  expect(text).toContain('returnPath: must be a path');
  expect(text).not.toContain('evil.example');
});

describe('every request body of the contract, whatever is sent', () => {
  const KEYS = ['active', 'returnPath', 'amazonCallbackUri', 'amazonState', 'sellingPartnerId', 'marketplace', 'completion', 'decision', 'accountId', '__proto__', 'constructor', 'MARKER-KEY'];
  const marked = fc.string({ maxLength: 12 }).map((s) => `MARKER${s}`);
  const value: fc.Arbitrary<unknown> = fc.letrec((tie) => ({
    any: fc.oneof(marked, fc.boolean(), fc.integer(), fc.constant(null), fc.array(tie('any'), { maxLength: 3 }), fc.dictionary(fc.constantFrom(...KEYS), tie('any'), { maxKeys: 3 })),
  })).any;
  const body = fc.oneof(fc.dictionary(fc.constantFrom(...KEYS), value, { maxKeys: 6 }), value);

  it.each(Object.entries(REQUESTS))('%s: a 400 that never repeats a value, or the parsed body; never another error', (_name, schema) => {
    fc.assert(
      fc.property(body, (sent) => {
        try {
          jsonBody(request(sent), schema as v.GenericSchema);
        } catch (error) {
          expect(error).toBeInstanceOf(ValidationError);
          const answer = errorResponse(error as ValidationError);
          expect(answer.statusCode).toBe(400);
          expect(String(answer.body)).not.toContain('MARKER');
        }
      }),
      { numRuns: 300 },
    );
  });
});
