import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type Fault, FaultPlan, type FaultTarget } from './faults.js';
import { readForm, sendHtml, sendJson } from './http.js';
import { CLIENT_SECRET_LIFETIME_MS, LoginWithAmazon } from './lwa.js';
import { errorPage, indexPage } from './pages.js';
import { SellerCentral } from './seller-central.js';
import { TEST_SELLERS, type TestSeller, findSeller, participationsFor } from './sellers.js';

export type { Fault, FaultMode, FaultTarget } from './faults.js';
export { NON_AMAZON_MARKETPLACE_IDS, TEST_SELLERS, type MarketplaceParticipation, type TestSeller } from './sellers.js';
export { ACCESS_TOKEN_LIFETIME_S, AUTHORIZATION_LIFETIME_MS, CODE_LIFETIME_MS } from './lwa.js';

/**
 * The Amazon sandbox: Seller Central consent, the Log-in URI hop, Login with Amazon's token
 * endpoint and the Sellers API on one loopback origin, so the whole authorization flow runs
 * with no Amazon developer account. All state lives in memory.
 */

export interface AmazonSandboxOptions {
  /** The local stack's movable service clock: code, token and authorization lifetimes follow it. */
  clock: { now(): Date };
  app: {
    applicationId: string;
    clientId: string;
    clientSecret: string;
    /** Shown on the consent page; defaults to "AoB Amazon Connect". */
    name?: string;
    /** Named in the consent checkbox; defaults to "AoB". */
    developerName?: string;
    /** A Draft app must be authorized with `version=beta`, as on Amazon (MD1000 otherwise). Defaults to false. */
    draft?: boolean;
  };
  /** The service's Log-in URI, e.g. http://127.0.0.1:3000/v1/amazon/login */
  loginUri: string;
  /** The service's Redirect URI, e.g. http://127.0.0.1:3000/v1/amazon/callback */
  redirectUri: string;
  /**
   * The origin browsers use to reach the sandbox, e.g. http://127.0.0.1:3001. It names the
   * `amazon_callback_uri`, which the service checks against SELLER_CENTRAL_URL_OVERRIDE.
   * Defaults to http:// plus the request's Host header.
   */
  publicOrigin?: string;
  /** Receives one line per request outcome: ids and outcomes, never tokens, codes or states. */
  log?: (line: string) => void;
  /**
   * The SQS destination registered "in the Developer Console" for the app's notifications
   * (client secret expiry, new client secret). Without it `rotateApplicationClientSecret`
   * answers 400 "not enrolled", as on Amazon.
   */
  notifications?: { send(body: string): void };
  /** When the initial client secret expires (epoch ms); default 180 days after start. */
  clientSecretExpiresAt?: number;
}

export interface SandboxStats {
  /** Every request to `POST /auth/o2/token`, faulted ones included. */
  tokenRequests: number;
  /** Token requests with `grant_type=authorization_code`, whatever their outcome. */
  codeExchanges: number;
  /** Token requests with `grant_type=refresh_token`, whatever their outcome. */
  refreshes: number;
  /** Every request to `GET /sellers/v1/marketplaceParticipations`. */
  participationsRequests: number;
  /** `rotateApplicationClientSecret` calls answered 204. */
  rotations: number;
}

export interface AmazonSandbox {
  /** A node http listener; mount it at the sandbox origin's root. */
  handle(req: IncomingMessage, res: ServerResponse): void;
  /** Revokes every authorization the seller gave the app: later refreshes answer invalid_grant. */
  revoke(sellingPartnerId: string): void;
  /** The next `times` requests to the target fail in the given way (times 0 clears it). */
  setFault(fault: Fault): void;
  readonly sellers: readonly TestSeller[];
  stats(): SandboxStats;
  /**
   * Sends APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY for the current secret to the registered queue.
   * With `expiresAt` the secret gets that expiry first; without one it keeps its own, or 180
   * days from now when it had none.
   */
  sendSecretExpiryNotice(expiresAt?: Date): { notificationId: string; clientSecretExpiryTime: string };
  /** Rotates the client secret as the Developer Console would, sending APPLICATION_OAUTH_CLIENT_NEW_SECRET. */
  rotateClientSecret(): { notificationId: string; newClientSecretExpiryTime: string; oldClientSecretExpiryTime: string };
  /** The client secrets' expiries (never the values). */
  clientSecrets(): { expiresAt: string | null; current: boolean }[];
}

const UNAUTHORIZED = {
  errors: [{ code: 'Unauthorized', message: 'Access to requested resource is denied.', details: 'The access token you provided is revoked, malformed or invalid.' }],
};

/** Amazon's scope for a grantless token that may rotate the app's client secret. */
const ROTATION_SCOPE = 'sellingpartnerapi::client_credential:rotation';
/** The rotation's usage plan: 0.0167 requests a second, burst 1. */
const ROTATION_INTERVAL_MS = 60_000;

/** What every part of the sandbox shares: its options, clock, log, counters, faults and LWA. */
interface Sandbox {
  readonly options: AmazonSandboxOptions;
  readonly log: (line: string) => void;
  readonly now: () => number;
  readonly stats: SandboxStats;
  readonly faults: FaultPlan;
  readonly lwa: LoginWithAmazon;
  readonly appName: string;
  /** When rotateApplicationClientSecret last answered 204 (epoch ms). */
  lastRotationAt: number;
}

export function createAmazonSandbox(options: AmazonSandboxOptions): AmazonSandbox {
  const sandbox = sandboxState(options);
  const sellerCentral = sellerCentralOf(sandbox);
  const { log, lwa } = sandbox;
  return {
    handle(req, res) {
      dispatch(sandbox, sellerCentral, req, res).catch((error: unknown) => {
        log(`sandbox error ${(error as Error).name}: ${(error as Error).message}`);
        if (!res.headersSent) sendJson(res, 500, { error: 'server_error', error_description: 'The sandbox failed to handle the request' });
        else res.destroy();
      });
    },
    revoke(sellingPartnerId) {
      if (!findSeller(sellingPartnerId)) throw new Error(`No sandbox seller has selling_partner_id "${sellingPartnerId}".`);
      const count = lwa.revoke(sellingPartnerId);
      log(`sandbox revoke seller=${sellingPartnerId} authorizations=${count}`);
    },
    setFault(fault) {
      sandbox.faults.set(fault);
      log(`sandbox fault set ${fault.target} ${fault.mode} times=${fault.times}`);
    },
    sellers: TEST_SELLERS,
    stats: () => ({ ...sandbox.stats }),
    sendSecretExpiryNotice: (expiresAt) => sendSecretExpiryNotice(sandbox, expiresAt),
    rotateClientSecret: () => rotateAndNotify(sandbox),
    clientSecrets: () => lwa.secretsExpiry(),
  };
}

function sandboxState(options: AmazonSandboxOptions): Sandbox {
  const now = () => options.clock.now().getTime();
  return {
    options,
    log: options.log ?? (() => undefined),
    now,
    stats: { tokenRequests: 0, codeExchanges: 0, refreshes: 0, participationsRequests: 0, rotations: 0 },
    faults: new FaultPlan(),
    lwa: new LoginWithAmazon({ clientId: options.app.clientId, clientSecret: options.app.clientSecret, clientSecretExpiresAt: options.clientSecretExpiresAt, redirectUri: options.redirectUri, now }),
    appName: options.app.name ?? 'AoB Amazon Connect',
    lastRotationAt: -Infinity,
  };
}

function sellerCentralOf(sandbox: Sandbox): SellerCentral {
  const { app } = sandbox.options;
  return new SellerCentral({
    app: { applicationId: app.applicationId, name: sandbox.appName, developerName: app.developerName ?? 'AoB', draft: app.draft ?? false },
    loginUri: sandbox.options.loginUri,
    redirectUri: sandbox.options.redirectUri,
    publicOrigin: sandbox.options.publicOrigin?.replace(/\/+$/, ''),
    lwa: sandbox.lwa,
    now: sandbox.now,
    log: sandbox.log,
  });
}

/** Seller Central's pages first, then Login with Amazon, the Sellers API and the Application Management API. */
async function dispatch(sandbox: Sandbox, sellerCentral: SellerCentral, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
  if (await sellerCentral.route(req, res, url)) return;
  const route = `${req.method ?? 'GET'} ${url.pathname}`;
  if (route === 'POST /auth/o2/token') return token(sandbox, req, res);
  if (route === 'GET /sellers/v1/marketplaceParticipations') return participations(sandbox, req, res);
  if (route === 'POST /applications/2023-11-30/clientSecret') return rotation(sandbox, req, res);
  if (route === 'GET /') return sendHtml(res, 200, indexPage({ sellers: TEST_SELLERS, appName: sandbox.appName }));
  if (url.pathname === '/auth/o2/token' || url.pathname === '/sellers/v1/marketplaceParticipations') {
    res.writeHead(405, { allow: url.pathname === '/auth/o2/token' ? 'POST' : 'GET' }).end();
    return;
  }
  if (url.pathname.startsWith('/sellers/')) {
    sendJson(res, 404, { errors: [{ code: 'NotFound', message: 'Resource not found.' }] });
    return;
  }
  sendHtml(res, 404, errorPage({ title: 'Page not found', message: 'The sandbox serves /sellercentral/{marketplace}/apps/…, /auth/o2/token and /sellers/v1/marketplaceParticipations.' }));
}

/** `POST /auth/o2/token`: counted, then a pending fault, then LWA's answer. */
async function token(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { stats, lwa, log } = sandbox;
  stats.tokenRequests += 1;
  const read = await readForm(req);
  const form = typeof read === 'string' ? undefined : read;
  const grantType = form?.get('grant_type');
  if (grantType === 'authorization_code') stats.codeExchanges += 1;
  if (grantType === 'refresh_token') stats.refreshes += 1;
  if (grantType === 'refresh_token' && faulted(sandbox, 'refresh', res, () => form && lwa.token(form))) return;
  if (faulted(sandbox, 'token', res, () => form && lwa.token(form))) return;
  if (!form) {
    log('sandbox token 400 invalid_request (not a form)');
    sendJson(res, 400, { error: 'invalid_request', error_description: 'The request must be application/x-www-form-urlencoded' });
    return;
  }
  const answer = lwa.token(form);
  log(`sandbox token ${answer.status} ${answer.outcome}`);
  sendJson(res, answer.status, answer.body);
}

/** `GET /sellers/v1/marketplaceParticipations`: the token's seller's marketplaces in the token's region. */
function participations(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): void {
  const { stats, lwa, log } = sandbox;
  stats.participationsRequests += 1;
  if (faulted(sandbox, 'participations', res)) return;
  const headers = { 'x-amzn-requestid': randomUUID(), 'x-amzn-ratelimit-limit': '0.016' };
  const header = req.headers['x-amz-access-token'];
  const authorization = typeof header === 'string' ? lwa.authorizationFor(header) : undefined;
  if (!authorization) {
    log('sandbox participations 403 Unauthorized');
    sendJson(res, 403, UNAUTHORIZED, headers);
    return;
  }
  // Every authorization names a sandbox seller: codes are only issued for them.
  const seller = findSeller(authorization.scope.sellingPartnerId) as TestSeller;
  const payload = participationsFor(seller, authorization.scope.region);
  log(`sandbox participations 200 seller=${seller.sellingPartnerId} region=${authorization.scope.region} entries=${payload.length}`);
  sendJson(res, 200, { payload }, headers);
}

/**
 * `rotateApplicationClientSecret`: a live grantless token with the rotation scope, a registered
 * notification queue (400 otherwise) and at most one call a minute (429); 204, and the new
 * secret goes to the queue.
 */
function rotation(sandbox: Sandbox, req: IncomingMessage, res: ServerResponse): void {
  const { lwa, log, now } = sandbox;
  req.resume();
  const headers = { 'x-amzn-requestid': randomUUID(), 'x-amzn-ratelimit-limit': '0.0167' };
  const header = req.headers['x-amz-access-token'];
  const scope = typeof header === 'string' ? lwa.grantlessScope(header) : undefined;
  if (scope !== ROTATION_SCOPE) {
    log('sandbox rotateApplicationClientSecret 403 Unauthorized');
    sendJson(res, 403, UNAUTHORIZED, headers);
    return;
  }
  if (!sandbox.options.notifications) {
    sendJson(res, 400, { errors: [{ code: 'InvalidInput', message: 'Application is not enrolled for rotation notification. Please update application notification preference in Developer console.' }] }, headers);
    return;
  }
  if (now() - sandbox.lastRotationAt < ROTATION_INTERVAL_MS) {
    log('sandbox rotateApplicationClientSecret 429');
    sendJson(res, 429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] }, headers);
    return;
  }
  sandbox.lastRotationAt = now();
  sandbox.stats.rotations += 1;
  rotateAndNotify(sandbox);
  log('sandbox rotateApplicationClientSecret 204');
  res.writeHead(204, headers).end();
}

/**
 * Applies a pending fault; true when the request has been answered (or deliberately left
 * hanging until the client gives up, which is how a timeout looks from the service).
 */
function faulted(sandbox: Sandbox, target: FaultTarget, res: ServerResponse, deliverSilently?: () => unknown): boolean {
  const mode = sandbox.faults.take(target);
  if (!mode) return false;
  sandbox.log(`sandbox fault ${target} ${mode}`);
  if (mode === 'timeout') {
    // A timeout is a request Amazon received and answered too late: its effects (a spent code) stand.
    deliverSilently?.();
    return true;
  }
  if (target === 'token' || target === 'refresh') {
    if (mode === 'server_error') sendJson(res, 500, { error: 'server_error', error_description: 'The authorization server encountered an unexpected error' });
    else sendJson(res, 401, { error: 'invalid_client', error_description: 'Client authentication failed' });
  } else if (mode === 'server_error') {
    sendJson(res, 500, { errors: [{ code: 'InternalFailure', message: 'We encountered an internal error. Please try again.' }] }, { 'x-amzn-requestid': randomUUID() });
  } else {
    // The SP-API has no invalid_client: rejected app credentials surface as the generic 403.
    sendJson(res, 403, UNAUTHORIZED, { 'x-amzn-requestid': randomUUID() });
  }
  return true;
}

/** APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY for the current secret, which gets `expiresAt` first when given. */
function sendSecretExpiryNotice(sandbox: Sandbox, expiresAt?: Date): { notificationId: string; clientSecretExpiryTime: string } {
  const { lwa, now } = sandbox;
  const own = lwa.currentSecret().expiresAt;
  const at = expiresAt?.getTime() ?? (Number.isFinite(own) ? own : now() + CLIENT_SECRET_LIFETIME_MS);
  lwa.announceExpiry(at);
  const clientSecretExpiryTime = new Date(at).toISOString();
  const notificationId = notify(sandbox, 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', {
    applicationOAuthClientSecretExpiry: { clientId: sandbox.options.app.clientId, clientSecretExpiryTime, clientSecretExpiryReason: 'PERIODIC_ROTATION' },
  });
  return { notificationId, clientSecretExpiryTime };
}

/** Rotates the client secret and sends APPLICATION_OAUTH_CLIENT_NEW_SECRET with the new one. */
function rotateAndNotify(sandbox: Sandbox): { notificationId: string; newClientSecretExpiryTime: string; oldClientSecretExpiryTime: string } {
  const rotated = sandbox.lwa.rotateClientSecret();
  const newClientSecretExpiryTime = new Date(rotated.newExpiresAt).toISOString();
  const oldClientSecretExpiryTime = new Date(rotated.oldExpiresAt).toISOString();
  const notificationId = notify(sandbox, 'APPLICATION_OAUTH_CLIENT_NEW_SECRET', {
    applicationOAuthClientNewSecret: { clientId: sandbox.options.app.clientId, newClientSecret: rotated.newClientSecret, newClientSecretExpiryTime, oldClientSecretExpiryTime },
  });
  return { notificationId, newClientSecretExpiryTime, oldClientSecretExpiryTime };
}

/** Amazon's SP-API notification envelope, as it lands on the registered SQS queue. */
function notify(sandbox: Sandbox, type: string, payload: Record<string, unknown>): string {
  const notificationId = randomUUID();
  const time = new Date(sandbox.now()).toISOString();
  const body = {
    notificationVersion: '1.0',
    notificationType: type,
    payloadVersion: '2023-12-13',
    eventTime: time,
    payload,
    notificationMetadata: { applicationId: sandbox.options.app.applicationId, subscriptionId: 'sandbox-subscription', publishTime: time, notificationId },
  };
  if (!sandbox.options.notifications) throw new Error('No notification queue is registered for the app (Developer Console step).');
  sandbox.options.notifications.send(JSON.stringify(body));
  sandbox.log(`sandbox notification ${type} id=${notificationId}`);
  return notificationId;
}
