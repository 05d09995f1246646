import type { IncomingMessage, ServerResponse } from 'node:http';
import { randomUUID } from 'node:crypto';
import { type Fault, FaultPlan, type FaultTarget } from './faults.js';
import { BodyTooLargeError, isFormEncoded, readBody, sendHtml, sendJson } from './http.js';
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

export function createAmazonSandbox(options: AmazonSandboxOptions): AmazonSandbox {
  const log = options.log ?? (() => undefined);
  const now = () => options.clock.now().getTime();
  const stats: SandboxStats = { tokenRequests: 0, codeExchanges: 0, refreshes: 0, participationsRequests: 0, rotations: 0 };
  const faults = new FaultPlan();
  const lwa = new LoginWithAmazon({ clientId: options.app.clientId, clientSecret: options.app.clientSecret, clientSecretExpiresAt: options.clientSecretExpiresAt, redirectUri: options.redirectUri, now });
  let lastRotationAt = -Infinity;

  /** Amazon's SP-API notification envelope, as it lands on the registered SQS queue. */
  function notify(type: string, payload: Record<string, unknown>): string {
    const notificationId = randomUUID();
    const time = new Date(now()).toISOString();
    const body = {
      notificationVersion: '1.0',
      notificationType: type,
      payloadVersion: '2023-12-13',
      eventTime: time,
      payload,
      notificationMetadata: { applicationId: options.app.applicationId, subscriptionId: 'sandbox-subscription', publishTime: time, notificationId },
    };
    if (!options.notifications) throw new Error('No notification queue is registered for the app (Developer Console step).');
    options.notifications.send(JSON.stringify(body));
    log(`sandbox notification ${type} id=${notificationId}`);
    return notificationId;
  }

  function rotateAndNotify() {
    const rotated = lwa.rotateClientSecret();
    const newClientSecretExpiryTime = new Date(rotated.newExpiresAt).toISOString();
    const oldClientSecretExpiryTime = new Date(rotated.oldExpiresAt).toISOString();
    const notificationId = notify('APPLICATION_OAUTH_CLIENT_NEW_SECRET', {
      applicationOAuthClientNewSecret: { clientId: options.app.clientId, newClientSecret: rotated.newClientSecret, newClientSecretExpiryTime, oldClientSecretExpiryTime },
    });
    return { notificationId, newClientSecretExpiryTime, oldClientSecretExpiryTime };
  }

  /**
   * `rotateApplicationClientSecret`: a live grantless token with the rotation scope, a registered
   * notification queue (400 otherwise) and at most one call a minute (429); 204, and the new
   * secret goes to the queue.
   */
  function rotation(req: IncomingMessage, res: ServerResponse): void {
    req.resume();
    const headers = { 'x-amzn-requestid': randomUUID(), 'x-amzn-ratelimit-limit': '0.0167' };
    const header = req.headers['x-amz-access-token'];
    const scope = typeof header === 'string' ? lwa.grantlessScope(header) : undefined;
    if (scope !== 'sellingpartnerapi::client_credential:rotation') {
      log('sandbox rotateApplicationClientSecret 403 Unauthorized');
      sendJson(res, 403, UNAUTHORIZED, headers);
      return;
    }
    if (!options.notifications) {
      sendJson(res, 400, { errors: [{ code: 'InvalidInput', message: 'Application is not enrolled for rotation notification. Please update application notification preference in Developer console.' }] }, headers);
      return;
    }
    if (now() - lastRotationAt < 60_000) {
      log('sandbox rotateApplicationClientSecret 429');
      sendJson(res, 429, { errors: [{ code: 'QuotaExceeded', message: 'You exceeded your quota for the requested resource.' }] }, headers);
      return;
    }
    lastRotationAt = now();
    stats.rotations += 1;
    rotateAndNotify();
    log('sandbox rotateApplicationClientSecret 204');
    res.writeHead(204, headers).end();
  }
  const appName = options.app.name ?? 'AoB Amazon Connect';
  const sellerCentral = new SellerCentral({
    app: { applicationId: options.app.applicationId, name: appName, developerName: options.app.developerName ?? 'AoB', draft: options.app.draft ?? false },
    loginUri: options.loginUri,
    redirectUri: options.redirectUri,
    publicOrigin: options.publicOrigin?.replace(/\/+$/, ''),
    lwa,
    now,
    log,
  });

  /**
   * Applies a pending fault; true when the request has been answered (or deliberately left
   * hanging until the client gives up, which is how a timeout looks from the service).
   */
  function faulted(target: FaultTarget, res: ServerResponse, deliverSilently?: () => unknown): boolean {
    const mode = faults.take(target);
    if (!mode) return false;
    log(`sandbox fault ${target} ${mode}`);
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

  async function token(req: IncomingMessage, res: ServerResponse): Promise<void> {
    stats.tokenRequests += 1;
    let form: URLSearchParams | undefined;
    if (isFormEncoded(req)) {
      try {
        form = new URLSearchParams(await readBody(req));
      } catch (error) {
        if (!(error instanceof BodyTooLargeError)) throw error;
      }
    }
    const grantType = form?.get('grant_type');
    if (grantType === 'authorization_code') stats.codeExchanges += 1;
    if (grantType === 'refresh_token') stats.refreshes += 1;
    if (grantType === 'refresh_token' && faulted('refresh', res, () => form && lwa.token(form))) return;
    if (faulted('token', res, () => form && lwa.token(form))) return;
    if (!form) {
      log('sandbox token 400 invalid_request (not a form)');
      sendJson(res, 400, { error: 'invalid_request', error_description: 'The request must be application/x-www-form-urlencoded' });
      return;
    }
    const answer = lwa.token(form);
    log(`sandbox token ${answer.status} ${answer.outcome}`);
    sendJson(res, answer.status, answer.body);
  }

  function participations(req: IncomingMessage, res: ServerResponse): void {
    stats.participationsRequests += 1;
    if (faulted('participations', res)) return;
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

  async function dispatch(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://sandbox.invalid');
    if (await sellerCentral.route(req, res, url)) return;
    const route = `${req.method ?? 'GET'} ${url.pathname}`;
    if (route === 'POST /auth/o2/token') return token(req, res);
    if (route === 'GET /sellers/v1/marketplaceParticipations') return participations(req, res);
    if (route === 'POST /applications/2023-11-30/clientSecret') return rotation(req, res);
    if (route === 'GET /') return sendHtml(res, 200, indexPage({ sellers: TEST_SELLERS, appName }));
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

  return {
    handle(req, res) {
      dispatch(req, res).catch((error: unknown) => {
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
      faults.set(fault);
      log(`sandbox fault set ${fault.target} ${fault.mode} times=${fault.times}`);
    },
    sellers: TEST_SELLERS,
    stats: () => ({ ...stats }),
    sendSecretExpiryNotice(expiresAt) {
      const own = lwa.currentSecret().expiresAt;
      const at = expiresAt?.getTime() ?? (Number.isFinite(own) ? own : now() + CLIENT_SECRET_LIFETIME_MS);
      lwa.announceExpiry(at);
      const clientSecretExpiryTime = new Date(at).toISOString();
      const notificationId = notify('APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', {
        applicationOAuthClientSecretExpiry: { clientId: options.app.clientId, clientSecretExpiryTime, clientSecretExpiryReason: 'PERIODIC_ROTATION' },
      });
      return { notificationId, clientSecretExpiryTime };
    },
    rotateClientSecret: () => rotateAndNotify(),
    clientSecrets: () => lwa.secretsExpiry(),
  };
}
