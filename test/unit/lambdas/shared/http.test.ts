import { jest } from '@jest/globals';
import * as v from 'valibot';
import { ConflictError, DomainError, UnauthorizedError } from '../../../../lambdas/domain/errors.js';
import { MARKETPLACE_CODES } from '../../../../lambdas/domain/marketplaces.js';
import { accountIdFrom, errorBody, errorResponse, json, jsonApi, jsonBody, type JwtHttpEvent, marketplaceParam, MAX_BODY_BYTES } from '../../../../lambdas/shared/http.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { aJwtRequest, aLambdaContext, bodyOf } from '../../../builders/requests.js';

const thrown = (fn: () => unknown): DomainError => {
  try {
    fn();
  } catch (e) {
    return e as DomainError;
  }
  throw new Error('expected a throw');
};

describe('JSON responses', () => {
  it('are JSON, never cached, with extra headers merged', () => {
    expect(json(201, { a: 1 }, { location: '/x' })).toEqual({
      statusCode: 201,
      headers: { 'content-type': 'application/json; charset=utf-8', 'cache-control': 'no-store', 'strict-transport-security': 'max-age=63072000; includeSubDomains', location: '/x' },
      body: '{"a":1}',
    });
  });

  it('carry details in the error shape only when there are some', () => {
    expect(errorBody('X_Y', 'Plain.')).toEqual({ error: { code: 'X_Y', message: 'Plain.' } });
    expect(errorBody('X_Y', 'Plain.', { a: 1 })).toEqual({ error: { code: 'X_Y', message: 'Plain.', details: { a: 1 } } });
  });
});

describe('mapping errors to responses', () => {
  it('keeps a DomainError\'s status, code, message and details', () => {
    const result = errorResponse(new ConflictError('TOKEN_EXPIRED', 'It expired.', { marketplace: 'DE' }));

    expect(result.statusCode).toBe(409);
    expect(bodyOf(result)).toEqual({ error: { code: 'TOKEN_EXPIRED', message: 'It expired.', details: { marketplace: 'DE' } } });
  });

  it.each([new Error('ECONNRESET at 10.1.2.3 reading Atzr|secret'), new TypeError('x is undefined'), 'a string', undefined, { statusCode: 400 }])(
    'turns anything else (%p) into a generic 500 that says nothing about why',
    (error) => {
      const result = errorResponse(error);

      expect(result.statusCode).toBe(500);
      expect(bodyOf(result)).toEqual({ error: { code: 'INTERNAL_ERROR', message: 'Something went wrong on our side. Please try again in a minute.' } });
    },
  );

  it.each([
    Object.assign(new Error('Rate exceeded'), { name: 'ProvisionedThroughputExceededException' }),
    Object.assign(new Error('Rate exceeded'), { name: 'ThrottlingException' }),
    Object.assign(new Error('slow down'), { name: 'SomethingNew', $retryable: { throttling: true } }),
  ])('turns AWS throttling ($name) into a 503 with Retry-After, never a 500', (error) => {
    const result = errorResponse(error);

    expect(result.statusCode).toBe(503);
    expect(result.headers?.['retry-after']).toBe('2');
    expect(bodyOf(result)).toEqual({ error: { code: 'SERVICE_UNAVAILABLE', message: 'The service is busy right now. Please try again in a few seconds.' } });
  });

  it('jsonApi answers a thrown DomainError with its response and logs it as a refusal', async () => {
    const info = jest.spyOn(logger, 'info').mockImplementation(() => undefined);
    const handle = jsonApi<JwtHttpEvent>('GET /t', async () => {
      throw new UnauthorizedError();
    });

    const result = await handle(aJwtRequest(), aLambdaContext());

    expect(result.statusCode).toBe(401);
    expect(info).toHaveBeenCalledWith('request refused', { code: 'UNAUTHORIZED', status: 401 });
    info.mockRestore();
  });

  it('jsonApi answers any other failure with a generic 500 and logs it as an error, without the event', async () => {
    const error = jest.spyOn(logger, 'error').mockImplementation(() => undefined);
    const handle = jsonApi<JwtHttpEvent>('GET /t', async () => {
      throw new RangeError('boom');
    });

    const result = await handle(aJwtRequest({ query: { secret: 'marker-123' } }), aLambdaContext());

    expect(result.statusCode).toBe(500);
    expect(result.body).not.toContain('boom');
    expect(error).toHaveBeenCalledWith('request failed', { errorName: 'RangeError', errorMessage: 'boom' });
    expect(JSON.stringify(error.mock.calls)).not.toContain('marker-123');
    error.mockRestore();
  });

  it('jsonApi passes a successful response through', async () => {
    const handle = jsonApi<JwtHttpEvent>('GET /t', async () => json(200, { ok: true }));

    expect(bodyOf(await handle(aJwtRequest(), aLambdaContext()))).toEqual({ ok: true });
  });
});

describe('the caller\'s account', () => {
  const claim = 'custom:accountId';

  it('comes from the JWT claim, with the subject when present', () => {
    expect(accountIdFrom(aJwtRequest({ claims: { [claim]: 'acct-42', sub: 'user-7' } }), claim)).toEqual({ accountId: 'acct-42', sub: 'user-7' });
    expect(accountIdFrom(aJwtRequest({ claims: { [claim]: 'acct-42' } }), claim)).toEqual({ accountId: 'acct-42', sub: undefined });
  });

  it('accepts a numeric account id claim as its decimal string', () => {
    expect(accountIdFrom(aJwtRequest({ claims: { [claim]: 12345 } }), claim).accountId).toBe('12345');
  });

  it('with a configured token type, refuses the other one (token_use): API Gateway does not check it', () => {
    const idToken = aJwtRequest({ claims: { [claim]: 'acct-42', token_use: 'id' } });
    const accessToken = aJwtRequest({ claims: { [claim]: 'acct-42', token_use: 'access' } });
    const none = aJwtRequest({ claims: { [claim]: 'acct-42' } });
    expect(accountIdFrom(idToken, claim, 'id').accountId).toBe('acct-42');
    expect(thrown(() => accountIdFrom(accessToken, claim, 'id')).httpStatus).toBe(401);
    expect(thrown(() => accountIdFrom(none, claim, 'id')).httpStatus).toBe(401);
    expect(accountIdFrom(accessToken, claim, 'access').accountId).toBe('acct-42');
    expect(accountIdFrom(accessToken, claim).accountId).toBe('acct-42');
  });

  it('reads the configured claim name only', () => {
    const request = aJwtRequest({ claims: { accountId: 'acct-x', 'aob:account': 'acct-y' } });

    expect(accountIdFrom(request, 'aob:account').accountId).toBe('acct-y');
    expect(thrown(() => accountIdFrom(request, claim)).httpStatus).toBe(401);
  });

  it.each([
    ['no authorizer', null],
    ['no claims', {}],
    ['an empty claim', { [claim]: '' }],
    ['a boolean claim', { [claim]: true }],
    ['a list claim', { [claim]: ['a'] }],
    ['a claim with a slash', { [claim]: 'a/b' }],
    ['a claim with a hash (would reach into another key)', { [claim]: 'a#VENUE' }],
    ['a 129-character claim', { [claim]: 'a'.repeat(129) }],
  ])('is refused with 401 UNAUTHORIZED for %s', (_label, claims) => {
    const error = thrown(() => accountIdFrom(aJwtRequest({ claims }), claim));

    expect(error).toMatchObject({ code: 'UNAUTHORIZED', httpStatus: 401 });
    expect(error.message).toMatch(/^[A-Z].*\.$/);
  });
});

describe('the marketplace path parameter', () => {
  it('accepts a supported code in any letter case', () => {
    expect(marketplaceParam(aJwtRequest({ marketplace: 'uk' }))).toBe('UK');
    expect(marketplaceParam(aJwtRequest({ marketplace: 'Jp' }))).toBe('JP');
  });

  it.each(['GB', '', 'EU', 'U%4B'])('refuses "%s" with 400 UNKNOWN_MARKETPLACE listing the valid codes', (raw) => {
    const error = thrown(() => marketplaceParam(aJwtRequest({ marketplace: raw })));

    expect(error).toMatchObject({ code: 'UNKNOWN_MARKETPLACE', httpStatus: 400, details: { validMarketplaces: MARKETPLACE_CODES } });
    expect(error.message).toContain(MARKETPLACE_CODES.join(', '));
  });

  it('refuses a missing parameter with 400', () => {
    expect(thrown(() => marketplaceParam(aJwtRequest())).httpStatus).toBe(400);
  });

  it('never echoes a long value it was given', () => {
    const error = thrown(() => marketplaceParam(aJwtRequest({ marketplace: 'x'.repeat(5000) })));

    expect(error.message).not.toContain('xx');
    expect(error.message).toMatch(/^That is not a supported Amazon marketplace/);
  });
});

describe('JSON bodies', () => {
  const schema = v.strictObject({ active: v.boolean() });
  const withBody = (body: string | undefined, isBase64Encoded = false) => aJwtRequest({ method: 'PUT', marketplace: 'UK', body, isBase64Encoded });

  it('parses a valid body', () => {
    expect(jsonBody(withBody('{"active":false}'), schema)).toEqual({ active: false });
  });

  it('decodes base64 bodies first', () => {
    expect(jsonBody(withBody(Buffer.from('{"active":true}').toString('base64'), true), schema)).toEqual({ active: true });
  });

  it('refuses a base64 body that does not decode to JSON with 400', () => {
    expect(thrown(() => jsonBody(withBody(Buffer.from('not json').toString('base64'), true), schema))).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400, message: 'The request body is not valid JSON.' });
  });

  it('refuses bodies over 16 KB with 413, counting bytes rather than characters', () => {
    const exactly = `{"active":true}${' '.repeat(MAX_BODY_BYTES - 15)}`;
    const multiByte = `{"active":true,"x":"${'é'.repeat(MAX_BODY_BYTES / 2)}"}`;

    expect(jsonBody(withBody(exactly), schema)).toEqual({ active: true });
    expect(thrown(() => jsonBody(withBody(`${exactly} `), schema))).toMatchObject({ code: 'PAYLOAD_TOO_LARGE', httpStatus: 413 });
    expect(thrown(() => jsonBody(withBody(multiByte), schema)).httpStatus).toBe(413);
  });

  it('measures the decoded size of a base64 body', () => {
    const big = Buffer.from(`{"active":true}${' '.repeat(MAX_BODY_BYTES)}`).toString('base64');

    expect(thrown(() => jsonBody(withBody(big, true), schema)).httpStatus).toBe(413);
  });

  it('refuses a missing or blank body with 400 unless the body is optional', () => {
    expect(thrown(() => jsonBody(withBody(undefined), schema))).toMatchObject({ httpStatus: 400, message: 'The request needs a JSON body.' });
    expect(thrown(() => jsonBody(withBody(' \n'), schema)).httpStatus).toBe(400);
    expect(jsonBody(withBody(undefined), v.object({ returnPath: v.optional(v.string()) }), { optional: true })).toEqual({});
  });

  it('refuses malformed JSON with 400', () => {
    expect(thrown(() => jsonBody(withBody('{"active":'), schema))).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400, message: 'The request body is not valid JSON.' });
  });

  it('refuses a body that breaks the schema with 400, saying where', () => {
    const error = thrown(() => jsonBody(withBody('{"active":"yes","extra":1}'), schema));

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400 });
    expect(error.message).toMatch(/^The request body is not valid: /);
    expect(error.details).toEqual({ issues: expect.arrayContaining([expect.objectContaining({ path: 'active' })]) });
  });

  it('says what each problem is in words that never repeat the value', () => {
    const error = thrown(() => jsonBody(withBody('{"active":"Atzr|MARKER-VALUE","extra":1}'), schema));

    expect(error.details).toEqual({
      issues: [
        { path: 'active', message: 'Invalid input: expected boolean, received string' },
        { path: '', message: 'Unknown field: "extra"' },
      ],
    });
    expect(error.message).toBe('The request body is not valid: active: Invalid input: expected boolean, received string; body: Unknown field: "extra"');
    expect(JSON.stringify(error)).not.toContain('MARKER');
  });

  it.each([
    ['a list', '[{"active":true}]', 'array'],
    ['a string', '"active"', 'string'],
    ['null', 'null', 'null'],
    ['a number', '1', 'number'],
  ])('refuses %s where the body must be an object, with 400', (_what, body, kind) => {
    const error = thrown(() => jsonBody(withBody(body), schema));

    expect(error).toMatchObject({ code: 'VALIDATION_FAILED', httpStatus: 400, message: `The request body is not valid: body: Invalid input: expected object, received ${kind}` });
    expect(error.details).toEqual({ issues: [{ path: '', message: `Invalid input: expected object, received ${kind}` }] });
  });

  it('an empty list is not an empty object, even where every field is optional', () => {
    expect(thrown(() => jsonBody(withBody('[]'), v.strictObject({ returnPath: v.optional(v.string()) }))).httpStatus).toBe(400);
  });

  it('names the options, and the lengths, a field may have', () => {
    const fields = v.strictObject({ decision: v.optional(v.picklist(['confirm', 'cancel'])), uri: v.optional(v.pipe(v.string(), v.minLength(1), v.maxLength(3))) });

    expect(thrown(() => jsonBody(withBody('{"decision":"maybe"}'), fields)).details).toEqual({ issues: [{ path: 'decision', message: 'Invalid option: expected one of "confirm" | "cancel"' }] });
    expect(thrown(() => jsonBody(withBody('{"uri":""}'), fields)).details).toEqual({ issues: [{ path: 'uri', message: 'must not be empty' }] });
    expect(thrown(() => jsonBody(withBody('{"uri":"abc"}'), v.strictObject({ uri: v.pipe(v.string(), v.minLength(4)) }))).details).toEqual({ issues: [{ path: 'uri', message: 'must be at least 4 characters long' }] });
    expect(thrown(() => jsonBody(withBody('{}'), schema)).details).toEqual({ issues: [{ path: 'active', message: 'is required' }] });
    expect(thrown(() => jsonBody(withBody('{"uri":"abcd"}'), fields)).details).toEqual({ issues: [{ path: 'uri', message: 'must be at most 3 characters long' }] });
  });
});
