import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { type AmazonSandbox, type AmazonSandboxOptions, createAmazonSandbox } from '../../../local/sandbox/index.js';
import { FakeClock } from '../../builders/clock.js';

/**
 * Runs the sandbox on a free loopback port with a movable clock, and plays the service's part
 * of the flow (Log-in URI, Redirect URI, token calls) with plain HTTP requests.
 */

export const APP = { applicationId: 'amzn1.sp.solution.sandbox-test-app', clientId: 'amzn1.application-oa2-client.sandboxtest', clientSecret: 'sandbox-test-client-secret' };
export const LOGIN_URI = 'http://127.0.0.1:3000/v1/amazon/login';
export const REDIRECT_URI = 'http://127.0.0.1:3000/v1/amazon/callback';

/** Where the sandbox's clock starts. */
export const SANDBOX_START = new Date('2026-11-27T00:00:00.000Z');

export const MINUTE = 60 * 1000;
export const DAY = 24 * 60 * MINUTE;

export interface Harness {
  readonly url: string;
  readonly sandbox: AmazonSandbox;
  readonly clock: FakeClock;
  readonly logs: string[];
  close(): Promise<void>;
}

export async function startSandbox(overrides: { app?: Partial<AmazonSandboxOptions['app']>; publicOrigin?: string } = {}): Promise<Harness> {
  const clock = new FakeClock(SANDBOX_START);
  const logs: string[] = [];
  const sandbox = createAmazonSandbox({
    clock,
    app: { ...APP, ...overrides.app },
    loginUri: LOGIN_URI,
    redirectUri: REDIRECT_URI,
    ...(overrides.publicOrigin ? { publicOrigin: overrides.publicOrigin } : {}),
    log: (line) => logs.push(line),
  });
  const server: Server = createServer(sandbox.handle);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    sandbox,
    clock,
    logs,
    close: () =>
      new Promise<void>((resolve) => {
        // Requests left hanging by a timeout fault must not keep the server open.
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

/**
 * The one browser of a test file: it keeps the sandbox's Seller Central session cookie, which an
 * `amazon_state` is bound to. `newBrowser()` starts over as another browser with no session.
 */
let session: string | undefined;

export function newBrowser(): void {
  session = undefined;
}

async function send(url: string, init: RequestInit & { headers: Record<string, string> }): Promise<Response> {
  const response = await fetch(url, { ...init, redirect: 'manual', headers: { ...(session ? { cookie: `sandbox_sc_session=${session}` } : {}), ...init.headers } });
  const set = response.headers.getSetCookie().find((c) => c.startsWith('sandbox_sc_session='));
  if (set) session = /^sandbox_sc_session=([^;]*)/.exec(set)?.[1];
  return response;
}

export function get(url: string, headers: Record<string, string> = {}): Promise<Response> {
  return send(url, { headers });
}

export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return send(url, { method: 'POST', headers: { 'content-type': 'application/x-www-form-urlencoded' }, body: new URLSearchParams(fields) });
}

export function location(response: Response): URL {
  const value = response.headers.get('location');
  if (!value) throw new Error(`expected a redirect, got ${response.status}`);
  return new URL(value);
}

export function consentUrl(h: Harness, mp: string, params: Record<string, string> = {}): string {
  const url = new URL(`${h.url}/sellercentral/${mp}/apps/authorize/consent`);
  url.searchParams.set('application_id', APP.applicationId);
  url.searchParams.set('state', 'service-state-123');
  for (const [k, v] of Object.entries(params)) url.searchParams.set(k, v);
  return url.toString();
}

export function formToken(html: string): string {
  const match = /name="form_token"[^>]*value="([^"]+)"/.exec(html);
  if (!match) throw new Error('no form_token on the page');
  return match[1] as string;
}

export function selectedSeller(html: string): string | undefined {
  return /<option value="([^"]+)" selected>/.exec(html)?.[1];
}

export interface Authorized {
  readonly code: string;
  readonly sellingPartnerId: string;
  readonly state: string;
  readonly redirect: URL;
}

/** Consent → confirm → Log-in URI → amazon_callback_uri → Redirect URI, as a browser and the service would. */
export async function authorize(h: Harness, mp: string, seller?: string, state = 'service-state-123'): Promise<Authorized> {
  const page = await (await get(consentUrl(h, mp, { state }))).text();
  const login = location(
    await postForm(`${h.url}/sellercentral/${mp}/apps/authorize/confirm`, {
      form_token: formToken(page),
      selling_partner_id: seller ?? (selectedSeller(page) as string),
      consent: 'yes',
      decision: 'confirm',
    }),
  );
  const callback = new URL(login.searchParams.get('amazon_callback_uri') as string);
  callback.searchParams.set('amazon_state', login.searchParams.get('amazon_state') as string);
  callback.searchParams.set('state', state);
  const redirect = location(await get(callback.toString()));
  return {
    code: redirect.searchParams.get('spapi_oauth_code') as string,
    sellingPartnerId: redirect.searchParams.get('selling_partner_id') as string,
    state: redirect.searchParams.get('state') as string,
    redirect,
  };
}

export function tokenRequest(h: Harness, fields: Record<string, string>, signal?: AbortSignal): Promise<Response> {
  return fetch(`${h.url}/auth/o2/token`, {
    method: 'POST',
    headers: { 'content-type': 'application/x-www-form-urlencoded;charset=UTF-8' },
    body: new URLSearchParams(fields),
    ...(signal ? { signal } : {}),
  });
}

export function exchangeCode(h: Harness, code: string, overrides: Record<string, string> = {}, signal?: AbortSignal): Promise<Response> {
  return tokenRequest(h, { grant_type: 'authorization_code', code, redirect_uri: REDIRECT_URI, client_id: APP.clientId, client_secret: APP.clientSecret, ...overrides }, signal);
}

export function refresh(h: Harness, refreshToken: string, overrides: Record<string, string> = {}): Promise<Response> {
  return tokenRequest(h, { grant_type: 'refresh_token', refresh_token: refreshToken, client_id: APP.clientId, client_secret: APP.clientSecret, ...overrides });
}

export interface Tokens {
  access_token: string;
  refresh_token: string;
  token_type: string;
  expires_in: number;
}

/** A full authorization ending in a successful code exchange. */
export async function grant(h: Harness, mp: string, seller?: string): Promise<Tokens & { sellingPartnerId: string }> {
  const { code, sellingPartnerId } = await authorize(h, mp, seller);
  const response = await exchangeCode(h, code);
  if (response.status !== 200) throw new Error(`exchange failed with ${response.status}`);
  return { ...((await response.json()) as Tokens), sellingPartnerId };
}

export function participations(h: Harness, accessToken?: string, signal?: AbortSignal): Promise<Response> {
  return fetch(`${h.url}/sellers/v1/marketplaceParticipations`, {
    headers: accessToken ? { 'x-amz-access-token': accessToken, 'user-agent': 'sandbox-test/1.0' } : {},
    ...(signal ? { signal } : {}),
  });
}
