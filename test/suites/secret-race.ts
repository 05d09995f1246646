import type { PendingAuthorizationStore } from '../../lambdas/ports/pending-authorizations.js';
import type { AccountStore } from '../../lambdas/ports/account-store.js';
import type { GrantWriter } from '../../lambdas/ports/grant-writer.js';
import { disconnect } from '../../lambdas/usecases/venues.js';
import { AUTH_ACCOUNT, SELLING_PARTNER, authHarness } from '../builders/auth.js';
import { RecordingLog } from '../builders/log.js';
import { SecretsManagerLike } from '../builders/secrets.js';

/**
 * A disconnect racing a re-authorization of the same grant, many times with different
 * interleavings: whatever the order, no grant row ever names a secret scheduled for deletion,
 * the row's secret holds that authorization's refresh token, and every other secret is retired.
 * The trials run over any backend: the unit suite's in memory, the integration suite's on
 * DynamoDB Local.
 */

export const TRIALS = 24;
const CODES = { 'MARKER-CODE-0001': 'Atzr|MARKER-REFRESH-0001', 'MARKER-CODE-0002': 'Atzr|MARKER-REFRESH-0002' };
const ok = (state: string, code: string) => ({ state, spapi_oauth_code: code, selling_partner_id: SELLING_PARTNER });

export interface Backend {
  grants: GrantWriter;
  store?: PendingAuthorizationStore;
  /** Holds the disconnect back so that trial `i` interleaves differently from the others. */
  delay(i: number): Promise<void>;
  accounts: AccountStore;
  /** Grant rows as stored now: grantKey → secretName. */
  rows(): Promise<Map<string, string>>;
}

async function trial(i: number, backend: () => Promise<Backend>) {
  const secrets = new SecretsManagerLike();
  const b = await backend();
  const h = authHarness({ secrets, grants: b.grants, store: b.store, amazon: { codes: CODES } });
  const first = await h.startFlow('UK');
  await h.callback(ok(first.state, 'MARKER-CODE-0001'), first.binding);
  const second = await h.startFlow('UK');
  h.clock.advance(60_000);
  const log = new RecordingLog();
  await Promise.all([
    b.delay(i).then(() => disconnect({ accounts: b.accounts, secrets, events: h.events, clock: h.clock, log }, AUTH_ACCOUNT, 'UK').catch(() => undefined)),
    h.callback(ok(second.state, 'MARKER-CODE-0002'), second.binding),
  ]);
  const rows = await b.rows();
  for (const secretName of rows.values()) {
    expect(secrets.isLive(secretName)).toBe(true);
    expect(await secrets.getRefreshToken(secretName)).toBe('Atzr|MARKER-REFRESH-0002');
  }
  const named = new Set(rows.values());
  for (const name of secrets.secrets.keys()) if (!named.has(name)) expect(secrets.isLive(name)).toBe(false);
  expect(secrets.secrets.size).toBe(2);
  return rows.size > 0 ? 'granted' : 'disconnected';
}

/** Two exchanges of the same grant racing (two tabs, two consents): the row names the winner's secret, the loser retires its own. */
export async function exchangeRace(i: number, backend: () => Promise<Backend>) {
  const secrets = new SecretsManagerLike();
  const b = await backend();
  const h = authHarness({ secrets, grants: b.grants, store: b.store, amazon: { codes: CODES } });
  const one = await h.startFlow('UK');
  const two = await h.startFlow('UK');
  await Promise.all([
    h.callback(ok(one.state, 'MARKER-CODE-0001'), one.binding),
    b.delay(i).then(() => h.callback(ok(two.state, 'MARKER-CODE-0002'), two.binding)),
  ]);
  const rows = await b.rows();
  expect(rows.size).toBe(1);
  const named = [...rows.values()][0]!;
  expect(secrets.isLive(named)).toBe(true);
  const winner = await secrets.getRefreshToken(named);
  expect(['Atzr|MARKER-REFRESH-0001', 'Atzr|MARKER-REFRESH-0002']).toContain(winner);
  for (const name of secrets.secrets.keys()) if (name !== named) expect(secrets.isLive(name)).toBe(false);
  expect(secrets.secrets.size).toBe(2);
}

export async function runTrials(backend: () => Promise<Backend>): Promise<Set<string>> {
  const outcomes = new Set<string>();
  for (let i = 0; i < TRIALS; i++) outcomes.add(await trial(i, backend));
  return outcomes;
}
