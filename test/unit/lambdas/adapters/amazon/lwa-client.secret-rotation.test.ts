import { GrantlessLwaClient as LwaClient } from '../../../../../lambdas/adapters/amazon/application-client.js';
import { DAY_MS } from '../../../../../lambdas/domain/time.js';
import { LwaInvalidClientError } from '../../../../../lambdas/ports/failures.js';
import type { AppCredentials, AppCredentialsProvider } from '../../../../../lambdas/ports/app-credentials.js';
import { APP, NEW_SECRET } from '../../../../builders/app-credentials.js';
import { FakeClock } from '../../../../builders/clock.js';

/**
 * How the LWA client picks the client secret while the app's secret rotates: the cached one
 * first; after `invalid_client`, exactly one more attempt with the other secret that is still
 * valid (a changed current one, or the previous one until its stated expiry); never a third.
 */

const NOW = new Date('2026-06-25T00:00:00.000Z');
const OLD = APP.clientSecret;

/** LWA accepting exactly `valid` client secrets, counting what it was sent. */
function lwa(valid: () => readonly string[]) {
  const secretsSent: string[] = [];
  const fetch = async (_url: string, init: RequestInit) => {
    const form = new URLSearchParams(String(init.body));
    const secret = form.get('client_secret') as string;
    secretsSent.push(secret);
    if (!valid().includes(secret)) return new Response(JSON.stringify({ error: 'invalid_client', error_description: 'Client authentication failed' }), { status: 401 });
    return new Response(JSON.stringify({ access_token: 'Atza|access', refresh_token: 'Atzr|refresh', token_type: 'bearer', expires_in: 3600 }), { status: 200 });
  };
  return { fetch, secretsSent };
}

/** An app secret that a container cached at `cached` while the store now holds `stored`. */
function provider(cached: AppCredentials, stored: () => AppCredentials): AppCredentialsProvider & { reloads: number } {
  let current = cached;
  return {
    reloads: 0,
    async get() {
      return current;
    },
    async reload() {
      this.reloads += 1;
      current = stored();
      return current;
    },
  };
}

const rotated = (oldExpiresAt: Date): AppCredentials => ({ ...APP, clientSecret: NEW_SECRET, previousClientSecret: { value: OLD, expiresAt: oldExpiresAt } });

function client(credentials: AppCredentialsProvider, fetch: ReturnType<typeof lwa>['fetch'], clock: FakeClock) {
  return new LwaClient({ tokenUrl: 'https://lwa.example/auth/o2/token', redirectUri: 'https://api.example/v1/amazon/callback', credentials, fetch, clock, sleep: async () => undefined, random: () => 0 });
}

describe('LWA client: the client secret during a rotation', () => {
  it('before the switch: the old secret works, one request, no reload', async () => {
    const clock = new FakeClock(NOW);
    const amazon = lwa(() => [OLD]);
    const credentials = provider({ ...APP }, () => ({ ...APP }));

    await client(credentials, amazon.fetch, clock).refresh('Atzr|grant');

    expect(amazon.secretsSent).toEqual([OLD]);
    expect(credentials.reloads).toBe(0);
  });

  it('a container that cached the old secret after it lapsed: one refusal, then the freshly stored new one', async () => {
    const clock = new FakeClock(new Date(NOW.getTime() + 8 * DAY_MS));
    const amazon = lwa(() => [NEW_SECRET]);
    const credentials = provider({ ...APP }, () => rotated(new Date(NOW.getTime() + 7 * DAY_MS)));

    await client(credentials, amazon.fetch, clock).refresh('Atzr|grant');

    expect(amazon.secretsSent).toEqual([OLD, NEW_SECRET]);
  });

  it('a new secret Amazon does not accept yet: the old one, still inside its stated expiry, carries the request', async () => {
    const clock = new FakeClock(NOW);
    const amazon = lwa(() => [OLD]);
    const credentials = provider(rotated(new Date(NOW.getTime() + 7 * DAY_MS)), () => rotated(new Date(NOW.getTime() + 7 * DAY_MS)));

    const tokens = await client(credentials, amazon.fetch, clock).exchangeCode('ANcode');

    expect(tokens.accessToken).toBe('Atza|access');
    expect(amazon.secretsSent).toEqual([NEW_SECRET, OLD]);
  });

  it('never the old secret after its stated expiry, and never a third attempt: invalid_client stands', async () => {
    const clock = new FakeClock(new Date(NOW.getTime() + 7 * DAY_MS));
    const amazon = lwa(() => []);
    const credentials = provider(rotated(new Date(NOW.getTime() + 7 * DAY_MS)), () => rotated(new Date(NOW.getTime() + 7 * DAY_MS)));

    await expect(client(credentials, amazon.fetch, clock).exchangeCode('ANcode')).rejects.toBeInstanceOf(LwaInvalidClientError);
    expect(amazon.secretsSent).toEqual([NEW_SECRET]);
  });

  it('both secrets refused: exactly two requests for a code (the code is sent at most twice, never after any other error)', async () => {
    const clock = new FakeClock(NOW);
    const amazon = lwa(() => []);
    const credentials = provider(rotated(new Date(NOW.getTime() + DAY_MS)), () => rotated(new Date(NOW.getTime() + DAY_MS)));

    await expect(client(credentials, amazon.fetch, clock).exchangeCode('ANcode')).rejects.toBeInstanceOf(LwaInvalidClientError);
    expect(amazon.secretsSent).toEqual([NEW_SECRET, OLD]);
  });

  it('grantless tokens (client_credentials, rotation scope) follow the same choice', async () => {
    const clock = new FakeClock(NOW);
    const amazon = lwa(() => [OLD]);
    const credentials = provider(rotated(new Date(NOW.getTime() + DAY_MS)), () => rotated(new Date(NOW.getTime() + DAY_MS)));

    const token = await client(credentials, amazon.fetch, clock).clientCredentials('sellingpartnerapi::client_credential:rotation');

    expect(token.accessToken).toBe('Atza|access');
    expect(amazon.secretsSent).toEqual([NEW_SECRET, OLD]);
  });
});
