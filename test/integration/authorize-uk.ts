import { BrowserLike } from './browser-like.js';

/**
 * One seller's whole website flow for UK on the local stack, as the frontend drives it: ticket,
 * consent, Log-in URI, callback (the code is kept sealed), then the completion page's
 * `POST /v1/amazon/authorization-completions` with the seller's JWT, where the code exchange
 * happens. Returns the outcome the landing URL names (`success`, or the error code).
 */
export async function authorizeUk(baseUrl: string, accountId: string): Promise<string> {
  const dev = async (path: string, body: unknown) =>
    (await (await fetch(`${baseUrl}${path}`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) })).json()) as Record<string, unknown>;
  const { token } = (await dev('/__dev/token', { accountId })) as { token: string };
  const api = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${baseUrl}${path}`, { method, headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });
    return (await response.json()) as Record<string, unknown>;
  };
  const { authorizationUrl } = (await api('POST', '/v1/amazon/venues/UK/authorizations', {})) as { authorizationUrl: string };
  const browser = new BrowserLike();
  const consent = await browser.goto(authorizationUrl);
  const completionPage = await browser.submit(consent, { button: 'Confirm', check: ['consent'] });
  const handle = new URLSearchParams(new URL(completionPage.url).hash.slice(1)).get('completion');
  if (!handle) return `no completion (${completionPage.status} ${new URL(completionPage.url).pathname})`;
  let answer = await api('POST', '/v1/amazon/authorization-completions', { completion: handle });
  if (answer.amazonAuthorization === 'confirm') answer = await api('POST', '/v1/amazon/authorization-completions', { completion: handle, decision: 'confirm' });
  const redirect = (answer.redirectUrl ?? (answer.error as { details?: { redirectUrl?: string } } | undefined)?.details?.redirectUrl) as string | undefined;
  return redirect ? (new URL(redirect).searchParams.get('amazon_authorization') ?? 'no outcome') : `no redirect (${JSON.stringify(answer).slice(0, 200)})`;
}
