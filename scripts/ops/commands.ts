import { ScanCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoAppCredentialsStatusStore } from '../../lambdas/adapters/dynamo/app-credentials-status-store.js';
import { DynamoAccountStore } from '../../lambdas/adapters/dynamo/account-store.js';
import { fromGrantItem } from '../../lambdas/adapters/dynamo/items.js';
import { rotationOverdue, rotationPending } from '../../lambdas/domain/app-credentials.js';
import type { Grant } from '../../lambdas/domain/grant.js';
import { MARKETPLACES, type MarketplaceCode } from '../../lambdas/domain/marketplaces.js';
import { DAY_MS, HOUR_MS } from '../../lambdas/domain/time.js';
import type { HealthCheckSummary } from '../../lambdas/usecases/access-tokens.js';
import { listVenues } from '../../lambdas/usecases/venues.js';
import { OpsError, type OpsTarget } from './target.js';

/**
 * The on-call commands. Each returns the data (`--json` prints it as is) and the lines a person
 * reads. They read with the functions' own adapters and domain, so what on-call sees is what the
 * service computes. Nothing here prints a token or a secret: the stores hold none but the app
 * secret, which the CLI never reads.
 */

export interface CommandResult {
  readonly data: unknown;
  readonly lines: readonly string[];
  /** 0 unless the command's action failed (rotation refused, check failed). */
  readonly exitCode?: number;
}

function table(rows: readonly (readonly string[])[]): string[] {
  const widths = rows[0]?.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length))) ?? [];
  return rows.map((r) => r.map((cell, i) => cell.padEnd(widths[i] ?? 0)).join('  ').trimEnd());
}

/** `30d`, `12h`, `2d` → milliseconds. */
export function parseWithin(text: string): number {
  const match = /^([1-9]\d{0,3})([dh])$/.exec(text);
  if (!match) throw new OpsError(`--expiring-within "${text}" is not a duration: use days or hours, e.g. 30d or 12h.`, 2);
  return Number(match[1]) * (match[2] === 'd' ? DAY_MS : HOUR_MS);
}

export function parseMarketplace(text: string): MarketplaceCode {
  const code = text.toUpperCase();
  if (!MARKETPLACES.some((m) => m.code === code)) throw new OpsError(`--marketplace "${text}" is not a marketplace code (${MARKETPLACES.map((m) => m.code).join(', ')}).`, 2);
  return code as MarketplaceCode;
}

const ACCOUNT = /^[A-Za-z0-9._:@-]{1,128}$/;
export function parseAccount(text: string | undefined): string {
  if (!text) throw new OpsError('--account is required: the AoB account id (the JWT claim), e.g. --account acc-123.', 2);
  if (!ACCOUNT.test(text)) throw new OpsError(`--account "${text.slice(0, 40)}" is not an account id (letters, digits and . _ : @ -, at most 128).`, 2);
  return text;
}

function until(iso: string | null | undefined, now: Date): string {
  if (!iso) return '';
  const ms = Date.parse(iso) - now.getTime();
  if (ms <= 0) return 'passed';
  return ms >= DAY_MS ? `${Math.floor(ms / DAY_MS)}d ${Math.floor((ms % DAY_MS) / HOUR_MS)}h` : `${Math.ceil(ms / HOUR_MS)}h`;
}

/** `venues --account A`: the Venue Settings table as the seller sees it. */
export async function venues(target: OpsTarget, accountId: string): Promise<CommandResult> {
  const list = await listVenues({ accounts: new DynamoAccountStore(target.documentClient, target.tableName), clock: target.clock }, accountId);
  const rows = [['MARKETPLACE', 'REGION', 'STATUS', 'ACTIVE', 'SELLER', 'EXPIRES', 'NOTE']];
  for (const v of list) {
    rows.push([v.marketplace, v.region, v.token.message, v.active ? 'yes' : v.activeChoice ? 'chosen (not usable)' : 'no', v.token.sellingPartnerId ?? '', v.token.expiresAt ?? '', v.activation.reason ?? '']);
  }
  const authorized = list.filter((v) => v.token.sellingPartnerId).length;
  return { data: { accountId, venues: list }, lines: [`Venues of account ${accountId} on ${target.description}: ${authorized} of ${list.length} authorized.`, ...table(rows)] };
}

/** `grants --expiring-within 30d`: live grants expiring within the window, soonest first. */
export async function grants(target: OpsTarget, withinMs: number): Promise<CommandResult> {
  const now = target.clock.now();
  const found: Grant[] = [];
  let itemsRead = 0;
  let startKey: Record<string, unknown> | undefined;
  do {
    // An ops read of the whole table (grants are a few hundred items); never on a request path.
    const out = await target.documentClient.send(
      new ScanCommand({ TableName: target.tableName, FilterExpression: '#type = :grant', ExpressionAttributeNames: { '#type': 'type' }, ExpressionAttributeValues: { ':grant': 'grant' }, ExclusiveStartKey: startKey }),
    );
    itemsRead += out.ScannedCount ?? 0;
    for (const item of out.Items ?? []) found.push(fromGrantItem(item));
    startKey = out.LastEvaluatedKey;
  } while (startKey);
  const due = found
    .filter((g) => !g.revokedAt && g.expiresAt.getTime() - now.getTime() <= withinMs)
    .sort((a, b) => a.expiresAt.getTime() - b.expiresAt.getTime());
  const rows = [['EXPIRES', 'IN', 'ACCOUNT', 'SELLER', 'REGION', 'MARKETPLACES']];
  for (const g of due) rows.push([g.expiresAt.toISOString(), until(g.expiresAt.toISOString(), now) || 'expired', g.accountId, g.sellingPartnerId, g.region, g.marketplaces.join(',')]);
  const data = due.map((g) => ({ accountId: g.accountId, sellingPartnerId: g.sellingPartnerId, region: g.region, marketplaces: g.marketplaces, generatedAt: g.generatedAt.toISOString(), expiresAt: g.expiresAt.toISOString(), expired: g.expiresAt <= now }));
  const header = `${due.length} grant(s) expiring within ${Math.round(withinMs / HOUR_MS)}h on ${target.description} (of ${found.length} grants, ${itemsRead} items read).`;
  return { data: { withinHours: Math.round(withinMs / HOUR_MS), grants: data }, lines: due.length ? [header, ...table(rows), '', 'Contact each seller: they re-authorize in AoB Venue Settings or Seller Central > Manage Your Apps.'] : [header] };
}

/** `app-credentials`: the client secret's state from the service's own record (never the secret). */
export async function appCredentials(target: OpsTarget): Promise<CommandResult> {
  const status = await new DynamoAppCredentialsStatusStore(target.documentClient, target.tableName).get();
  const now = target.clock.now();
  const iso = (d: Date | null) => d?.toISOString() ?? null;
  const previousValid = !!status.previousSecretExpiresAt && status.previousSecretExpiresAt > now;
  const data = {
    current: {
      source: status.newSecretReceivedAt ? 'rotated' : 'as written by ops',
      since: iso(status.newSecretReceivedAt),
      expiresAt: iso(status.clientSecretExpiresAt),
      expiryReason: status.expiryReason,
    },
    previous: status.previousSecretExpiresAt ? { expiresAt: iso(status.previousSecretExpiresAt), stillAccepted: previousValid } : null,
    warningsSent: status.alertsSent,
    rotation: { requestedAt: iso(status.rotationRequestedAt), pending: rotationPending(status), overdue: rotationOverdue(status, 6 * HOUR_MS, now) },
    lastNotification: status.lastNotification ? { type: status.lastNotification.type, notificationId: status.lastNotification.notificationId, receivedAt: status.lastNotification.receivedAt.toISOString() } : null,
  };
  const lines = [
    `App client secret on ${target.description}:`,
    `  current secret     ${data.current.source}${data.current.since ? ` (arrived ${data.current.since})` : ''}; expires ${data.current.expiresAt ?? 'unknown (no expiry notice from Amazon yet)'}${data.current.expiresAt ? ` (in ${until(data.current.expiresAt, now)})` : ''}`,
    `  previous secret    ${data.previous ? `accepted by Amazon until ${data.previous.expiresAt}${previousValid ? ` (in ${until(data.previous.expiresAt, now)}): LWA calls fall back to it on invalid_client` : ' (expired)'}` : 'none'}`,
    `  warnings sent      ${data.warningsSent.length ? data.warningsSent.join(', ') : 'none'}`,
    `  rotation           ${data.rotation.requestedAt ? `asked for at ${data.rotation.requestedAt}; ${data.rotation.pending ? (data.rotation.overdue ? 'OVERDUE: no new secret arrived' : 'waiting for the new secret') : 'its new secret arrived'}` : 'never asked for'}`,
    `  last notification  ${data.lastNotification ? `${data.lastNotification.type} ${data.lastNotification.notificationId} at ${data.lastNotification.receivedAt}` : 'none received (is the queue registered in the Developer Console? docs/deploy.md step 7)'}`,
  ];
  return { data, lines };
}

interface RotateAnswer {
  readonly outcome: string;
  readonly message: string;
  readonly requestedAt?: string;
}

/** `rotate-client-secret`: asks the stage's RotateClientSecret function to call Amazon. */
export async function rotateClientSecret(target: OpsTarget): Promise<CommandResult> {
  const answer = (await target.invoke('RotateClientSecret')) as RotateAnswer;
  return { data: answer, lines: [`${answer.outcome === 'requested' ? 'Requested' : 'Not requested'} (${target.description}): ${answer.message}`], exitCode: answer.outcome === 'requested' ? 0 : 1 };
}

/** `check --account A --marketplace UK`: the token service's health check for that venue's grant, now, and what Amazon answered. */
export async function check(target: OpsTarget, accountId: string, marketplace: MarketplaceCode): Promise<CommandResult> {
  if (!target.healthCheck) throw new OpsError(`The ${target.description} has no health check: deploy the current version.`);
  const answer = (await target.healthCheck({ accountId, marketplace })) as HealthCheckSummary;
  const look = `npm run ops -- venues --account ${accountId} ${target.flag}`;
  let verdict: string;
  let ok = false;
  if (answer.appCredentialsInvalid) verdict = `Amazon refused the app's client credentials (invalid_client): check and rotate them (npm run ops -- app-credentials ${target.flag}).`;
  else if (answer.confirmed > 0) {
    verdict = 'Amazon confirmed the authorization: a refresh succeeded.';
    ok = true;
  } else if (answer.revoked > 0) verdict = `Amazon answered invalid_grant: the authorization was revoked. Contact the seller to authorize again (${look}).`;
  else if (answer.unavailable > 0) verdict = "Amazon did not answer usably (timeout, 5xx or 429): check Amazon's status and try again.";
  else if (answer.checked === 0 && answer.skipped > 0) verdict = `The grant serving ${marketplace} is revoked or expired: nothing to ask Amazon (${look}).`;
  else if (answer.checked === 0) verdict = `No authorization serves ${marketplace} for account ${accountId} (${look}).`;
  else verdict = 'The grant changed while it was being checked (a re-authorization): run the check again.';
  return { data: { accountId, marketplace, ok, verdict, answer }, lines: [`Health check of ${accountId} ${marketplace} on ${target.description}: ${verdict}`], exitCode: ok ? 0 : 1 };
}
