import { jest } from '@jest/globals';
import middy from '@middy/core';
import { UnauthorizedError } from '../../../../lambdas/domain/errors.js';
import { type HttpEvent, type HttpResult, json, jsonApi } from '../../../../lambdas/shared/http.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { errorMapping, requestLogKeys, responseHeaders } from '../../../../lambdas/shared/middleware.js';
import { BROWSER_HEADERS, browserRoute } from '../../../../lambdas/shared/pages.js';
import { browserEvent, invoke, jwtEvent } from '../../../builders/auth.js';

/**
 * The middleware objects behind `jsonApi` and `browserRoute`: both route kinds set the same
 * request-scoped log keys and remove them by the same rule (when the request ends, answered or
 * failed, after the error's log line); each maps errors to its own kind of response.
 */

/** Records, in order, the logger calls the middleware makes. */
function recordLogger() {
  const calls: string[] = [];
  const spies = [
    jest.spyOn(logger, 'appendKeys').mockImplementation((keys) => void calls.push(`appendKeys ${JSON.stringify(keys)}`)),
    jest.spyOn(logger, 'resetKeys').mockImplementation(() => void calls.push('resetKeys')),
    jest.spyOn(logger, 'addContext').mockImplementation(() => void calls.push('addContext')),
    jest.spyOn(logger, 'info').mockImplementation(((message: unknown) => void calls.push(`info ${String(message)}`)) as () => void),
    jest.spyOn(logger, 'error').mockImplementation(((message: unknown) => void calls.push(`error ${String(message)}`)) as () => void),
  ];
  return { calls, restore: () => spies.forEach((s) => s.mockRestore()) };
}

let log: ReturnType<typeof recordLogger>;
beforeEach(() => (log = recordLogger()));
afterEach(() => log.restore());

const KEYS = 'appendKeys {"route":"GET /r","requestId":"req-1"}';

describe('request-scoped log keys: one rule for JSON and browser routes', () => {
  const routes = {
    json: {
      ok: jsonApi<HttpEvent>('GET /r', async () => {
        logger.info('working');
        return json(200, {});
      }),
      refused: jsonApi<HttpEvent>('GET /r', async () => {
        throw new UnauthorizedError();
      }),
      failed: jsonApi<HttpEvent>('GET /r', async () => {
        throw new RangeError('boom');
      }),
      event: jwtEvent({}),
      errorLine: 'error request failed',
    },
    browser: {
      ok: browserRoute('GET /r', async () => {
        logger.info('working');
        return { statusCode: 302, headers: { location: '/' }, body: '' };
      }),
      refused: null,
      failed: browserRoute('GET /r', async () => {
        throw new RangeError('boom');
      }),
      event: browserEvent({}),
      errorLine: 'error browser request failed',
    },
  } as const;

  it.each(['json', 'browser'] as const)('%s: set before the handler, removed once it answered', async (kind) => {
    const r = routes[kind];
    await invoke(r.ok, r.event);
    expect(log.calls).toEqual(['addContext', KEYS, 'info working', 'resetKeys']);
  });

  it.each(['json', 'browser'] as const)('%s: on a fault, removed after the error is logged with them', async (kind) => {
    const r = routes[kind];
    await invoke(r.failed, r.event);
    expect(log.calls).toEqual(['addContext', KEYS, r.errorLine, 'resetKeys']);
  });

  it('json: a refusal (DomainError) too', async () => {
    await invoke(routes.json.refused, routes.json.event);
    expect(log.calls).toEqual(['addContext', KEYS, 'info request refused', 'resetKeys']);
  });

  it('a logger whose resetKeys returns something does not replace the answer (middy ends a request on a returned value)', async () => {
    jest.spyOn(logger, 'resetKeys').mockImplementation((() => ({ statusCode: 418 })) as never);
    expect((await invoke(routes.json.ok, routes.json.event)).statusCode).toBe(200);
    expect((await invoke(routes.browser.ok, routes.browser.event)).statusCode).toBe(302);
    expect((await invoke(routes.json.failed, routes.json.event)).statusCode).toBe(500);
  });
});

describe('the middleware objects', () => {
  const ok = async (): Promise<HttpResult> => ({ statusCode: 200, headers: { 'x-own': '1', 'cache-control': 'max-age=60' }, body: 'ok' });

  it('errorMapping answers a thrown error with its kind of response and leaves answers alone', async () => {
    const seen: unknown[] = [];
    const mapped = middy<HttpEvent, HttpResult>()
      .use(
        errorMapping((error) => {
          seen.push(error);
          return { statusCode: 599, body: 'mapped' };
        }),
      )
      .handler(async () => {
        throw new TypeError('x');
      });
    expect(await invoke(mapped, browserEvent({}))).toEqual({ statusCode: 599, body: 'mapped' });
    expect(seen).toEqual([expect.any(TypeError)]);

    const fine = middy<HttpEvent, HttpResult>().use(errorMapping(() => ({ statusCode: 599 }))).handler(ok);
    expect((await invoke(fine, browserEvent({}))).statusCode).toBe(200);
  });

  it('responseHeaders puts its headers over the handler’s, keeping the others', async () => {
    const wrapped = middy<HttpEvent, HttpResult>().use(responseHeaders(BROWSER_HEADERS)).handler(ok);
    const res = await invoke(wrapped, browserEvent({}));
    expect(res.headers).toEqual({ 'x-own': '1', ...BROWSER_HEADERS });
  });

  it('requestLogKeys takes the request id from API Gateway’s request context, absent when there is none', async () => {
    const wrapped = middy<HttpEvent, HttpResult>().use(requestLogKeys('GET /r')).handler(ok);
    await invoke(wrapped, { ...browserEvent({}), requestContext: undefined } as unknown as HttpEvent);
    expect(log.calls).toEqual(['addContext', 'appendKeys {"route":"GET /r"}', 'resetKeys']);
  });
});
