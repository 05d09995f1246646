import { AmazonTransientError } from '../../ports/failures.js';

/** The slice of `fetch` the Amazon adapters use; tests inject a fake Amazon through it. */
export type FetchLike = (input: string, init: RequestInit) => Promise<Response>;

export async function readJson(response: Response): Promise<unknown> {
  try {
    return await response.json();
  } catch {
    return undefined;
  }
}

export interface SpApiRequestOptions {
  readonly userAgent?: string;
  readonly timeoutMs?: number;
}

/**
 * One SP-API call with an LWA access token: bounded in time, no redirects followed (a redirect
 * would carry the token elsewhere). A network failure or timeout is an AmazonTransientError named
 * by `what`; the caller judges the status and the body.
 */
export async function spApiRequest(fetchLike: FetchLike, url: string, method: 'GET' | 'POST', accessToken: string, what: string, options: SpApiRequestOptions): Promise<Response> {
  try {
    return await fetchLike(url, {
      method,
      headers: {
        'x-amz-access-token': accessToken,
        accept: 'application/json',
        'user-agent': options.userAgent ?? 'aob-amazon-connect/1.0 (Language=TypeScript)',
      },
      signal: AbortSignal.timeout(options.timeoutMs ?? 8000),
      redirect: 'error',
    });
  } catch (error) {
    throw new AmazonTransientError(what, { cause: error instanceof Error ? error.name : 'Error' });
  }
}
