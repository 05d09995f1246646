import type { MiddlewareObj } from '@middy/core';
import type { Context } from 'aws-lambda';
import type { HttpEvent, HttpResult } from './http.js';
import { logger } from './logger.js';

/**
 * The middy middleware objects every HTTP handler is built from (`jsonApi` in ./http.ts,
 * `browserRoute` in ./pages.ts). Use them in this order: `requestLogKeys` first, so its `after`
 * and `onError` run last, once the other middlewares have logged what they log.
 */

type Middleware<E> = MiddlewareObj<E, HttpResult, Error, Context>;

/**
 * Request-scoped log keys: the route and API Gateway's request id (never the raw event or query
 * string) on every line of the request, and the Lambda context. One reset rule: the keys are
 * removed when the request ends, answered or failed, so nothing of this request is on the next
 * one's lines.
 */
export function requestLogKeys<E extends HttpEvent>(route: string): Middleware<E> {
  // Block bodies: a middy middleware that returns a value ends the request with it.
  const reset = () => {
    logger.resetKeys();
  };
  return {
    before: (request) => {
      logger.addContext(request.context);
      logger.appendKeys({ route, requestId: request.event.requestContext?.requestId });
    },
    after: reset,
    onError: reset,
  };
}

/**
 * Error mapping for one kind of response: a thrown error becomes the answer `respond` gives it
 * (which logs what it must); never a stack trace or the error's text for the caller.
 */
export function errorMapping<E>(respond: (error: unknown) => HttpResult): Middleware<E> {
  return {
    onError: (request) => {
      request.response = respond(request.error);
    },
  };
}

/** Headers every answer of a route carries, over whatever the handler set. */
export function responseHeaders<E>(headers: Readonly<Record<string, string>>): Middleware<E> {
  return {
    after: (request) => {
      if (request.response) request.response.headers = { ...request.response.headers, ...headers };
    },
  };
}
