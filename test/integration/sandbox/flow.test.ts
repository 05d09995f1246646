import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import {
  type Harness,
  LOGIN_URI,
  MINUTE,
  REDIRECT_URI,
  authorize,
  consentUrl,
  exchangeCode,
  formToken,
  get,
  location,
  newBrowser,
  postForm,
  startSandbox,
} from './harness.js';

async function confirmConsent(h: Harness, mp: string, seller: string, state = 'service-state-123', extra: Record<string, string> = {}): Promise<URL> {
  const page = await (await get(consentUrl(h, mp, { state, ...extra }))).text();
  return location(await postForm(`${h.url}/sellercentral/${mp}/apps/authorize/confirm`, { form_token: formToken(page), selling_partner_id: seller, consent: 'yes', decision: 'confirm' }));
}

function callbackFrom(login: URL, params: Record<string, string | undefined>): string {
  const callback = new URL(login.searchParams.get('amazon_callback_uri') as string);
  for (const [k, v] of Object.entries(params)) if (v !== undefined) callback.searchParams.set(k, v);
  return callback.toString();
}

describe('Amazon sandbox: the redirects of an authorization started in the app', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  it('sends a confirmed consent to the Log-in URI with Amazon\'s parameters', async () => {
    // Act
    const login = await confirmConsent(h, 'uk', 'ASANDBOXEU0002');

    // Assess
    expect(`${login.origin}${login.pathname}`).toBe(LOGIN_URI);
    expect(login.searchParams.get('amazon_callback_uri')).toBe(`${h.url}/sellercentral/uk/apps/authorize/callback`);
    expect(login.searchParams.get('amazon_state')).toMatch(/^[A-Za-z0-9]{40}$/);
    expect(login.searchParams.get('selling_partner_id')).toBe('ASANDBOXEU0002');
    expect(login.searchParams.has('version')).toBe(false);
    // The app's own state travels with amazon_state inside the sandbox, not in the URL.
    expect(login.searchParams.has('state')).toBe(false);
  });

  it('sends the callback to the Redirect URI with the state, the seller and a code', async () => {
    // Prepare
    const login = await confirmConsent(h, 'de', 'ASANDBOXEU0001', 'my-state');

    // Act
    const response = await get(callbackFrom(login, { amazon_state: login.searchParams.get('amazon_state') ?? undefined, state: 'my-state' }));

    // Assess
    expect(response.status).toBe(302);
    const target = location(response);
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get('state')).toBe('my-state');
    expect(target.searchParams.get('selling_partner_id')).toBe('ASANDBOXEU0001');
    expect(target.searchParams.get('spapi_oauth_code')).toMatch(/^ANsandbox[A-Za-z0-9]{24}$/);
    expect(target.searchParams.has('mws_auth_token')).toBe(false);
  });

  it('runs end to end into a code the token endpoint accepts', async () => {
    // Act
    const { code, sellingPartnerId, state } = await authorize(h, 'us');
    const exchange = await exchangeCode(h, code);

    // Assess
    expect(sellingPartnerId).toBe('ASANDBOXNA0001');
    expect(state).toBe('service-state-123');
    expect(exchange.status).toBe(200);
  });

  it('binds an amazon_state to the browser (Seller Central session) that got it: another browser is refused and the value is spent (stricter reading)', async () => {
    // Prepare: the attacker's browser confirms and keeps its Log-in URL.
    const login = await confirmConsent(h, 'uk', 'ASANDBOXEU0002');
    const url = callbackFrom(login, { amazon_state: login.searchParams.get('amazon_state') ?? undefined, state: 'service-state-123' });
    newBrowser();

    // Act: the victim's browser opens it (Login CSRF / a crafted connect page).
    const foreign = await get(url);
    newBrowser();
    const noSession = await get(url);

    // Assess
    expect(foreign.status).toBe(400);
    expect(foreign.headers.get('location')).toBeNull();
    expect(await foreign.text()).toContain('This authorization belongs to another browser');
    expect(noSession.status).toBe(400);
  });

  it('sets the session cookie HttpOnly, SameSite=Lax, only for Seller Central paths', async () => {
    newBrowser();
    const page = await get(consentUrl(h, 'uk'));
    expect(page.headers.getSetCookie()).toEqual([expect.stringMatching(/^sandbox_sc_session=[A-Za-z0-9]{32}; Path=\/sellercentral\/; HttpOnly; SameSite=Lax$/)]);
  });

  it('accepts an amazon_state once', async () => {
    // Prepare
    const login = await confirmConsent(h, 'uk', 'ASANDBOXEU0001');
    const url = callbackFrom(login, { amazon_state: login.searchParams.get('amazon_state') ?? undefined, state: 'service-state-123' });
    await get(url);

    // Act
    const replay = await get(url);

    // Assess
    expect(replay.status).toBe(400);
    expect(await replay.text()).toContain('This authorization has expired');
  });

  it('refuses an amazon_state older than 10 minutes', async () => {
    // Prepare
    const login = await confirmConsent(h, 'uk', 'ASANDBOXEU0001');
    h.clock.advance(10 * MINUTE + 1000);

    // Act
    const response = await get(callbackFrom(login, { amazon_state: login.searchParams.get('amazon_state') ?? undefined, state: 'service-state-123' }));

    // Assess
    expect(response.status).toBe(400);
  });

  it.each([
    ['an unknown amazon_state', { amazon_state: 'B'.repeat(40), state: 'service-state-123' }],
    ['no amazon_state', { state: 'service-state-123' }],
    ['no state', { amazon_state: 'KEEP' }],
    ['a state other than the consent link\'s', { amazon_state: 'KEEP', state: 'another-state' }],
  ])('refuses a callback with %s', async (_name, params) => {
    // Prepare
    const login = await confirmConsent(h, 'uk', 'ASANDBOXEU0001');
    const amazonState = login.searchParams.get('amazon_state') as string;
    const query = Object.fromEntries(Object.entries(params).map(([k, v]) => [k, v === 'KEEP' ? amazonState : v]));

    // Act
    const response = await get(callbackFrom(login, query));

    // Assess
    expect(response.status).toBe(400);
    expect(response.headers.get('location')).toBeNull();
  });

  it('refuses an amazon_state brought back to another marketplace\'s callback', async () => {
    // Prepare
    const login = await confirmConsent(h, 'uk', 'ASANDBOXEU0001');

    // Act
    const response = await get(`${h.url}/sellercentral/de/apps/authorize/callback?amazon_state=${login.searchParams.get('amazon_state')}&state=service-state-123`);

    // Assess
    expect(response.status).toBe(400);
  });

  it('logs ids and outcomes, never codes, states or the amazon_state', async () => {
    // Prepare
    const login = await confirmConsent(h, 'uk', 'ASANDBOXEU0001', 'marker-state-value');
    const amazonState = login.searchParams.get('amazon_state') as string;

    // Act
    const target = location(await get(callbackFrom(login, { amazon_state: amazonState, state: 'marker-state-value' })));

    // Assess
    const logs = h.logs.join('\n');
    expect(logs).toContain('seller=ASANDBOXEU0001');
    expect(logs).not.toContain('marker-state-value');
    expect(logs).not.toContain(amazonState);
    expect(logs).not.toContain(target.searchParams.get('spapi_oauth_code') as string);
  });

  it('names amazon_callback_uri after the configured public origin when one is given', async () => {
    // Prepare
    const pinned = await startSandbox({ publicOrigin: 'http://localhost:4010/' });
    try {
      // Act
      const login = await confirmConsent(pinned, 'fr', 'ASANDBOXEU0001');

      // Assess
      expect(login.searchParams.get('amazon_callback_uri')).toBe('http://localhost:4010/sellercentral/fr/apps/authorize/callback');
    } finally {
      await pinned.close();
    }
  });

  describe('for a Draft app', () => {
    let draft: Harness;
    beforeEach(async () => {
      draft = await startSandbox({ app: { draft: true } });
    });
    afterEach(() => draft.close());

    it('passes version=beta to the Log-in URI and requires it back', async () => {
      // Prepare
      const login = await confirmConsent(draft, 'uk', 'ASANDBOXEU0001', 'draft-state', { version: 'beta' });
      const amazonState = login.searchParams.get('amazon_state') ?? undefined;

      // Act
      const withoutBeta = await get(callbackFrom(login, { amazon_state: amazonState, state: 'draft-state' }));
      const again = await confirmConsent(draft, 'uk', 'ASANDBOXEU0001', 'draft-state', { version: 'beta' });
      const withBeta = await get(callbackFrom(again, { amazon_state: again.searchParams.get('amazon_state') ?? undefined, state: 'draft-state', version: 'beta' }));

      // Assess
      expect(login.searchParams.get('version')).toBe('beta');
      expect(withoutBeta.status).toBe(400);
      expect(await withoutBeta.text()).toContain('MD1000');
      expect(withBeta.status).toBe(302);
      expect(location(withBeta).searchParams.get('spapi_oauth_code')).toMatch(/^ANsandbox/);
    });
  });
});

describe('Amazon sandbox: Manage Your Apps (authorization started on Amazon)', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  it('lists the sellers of the marketplace with an Authorize button each', async () => {
    // Act
    const html = await (await get(`${h.url}/sellercentral/de/apps/manage`)).text();

    // Assess
    expect(html).toContain('Manage Your Apps');
    expect(html).toContain('<button class="primary" type="submit" id="authorize-ASANDBOXEU0001">Authorize</button>');
    // The EU seller without Germany is not offered on amazon.de.
    expect(html).not.toContain('authorize-ASANDBOXEU0002');
    expect(html).not.toContain('authorize-ASANDBOXNA0001');
  });

  it('offers Re-Authorize once the seller has authorized the app in that region', async () => {
    // Prepare
    const { code } = await authorize(h, 'uk', 'ASANDBOXEU0002');
    await exchangeCode(h, code);

    // Act
    const fr = await (await get(`${h.url}/sellercentral/fr/apps/manage`)).text();

    // Assess
    expect(fr).toContain('id="authorize-ASANDBOXEU0002">Re-Authorize</button>');
    expect(fr).toContain('Authorized, expires 2027-11-27');
    expect(fr).toContain('id="authorize-ASANDBOXEU0001">Authorize</button>');
  });

  it('binds an FE authorization to the marketplace it was given on', async () => {
    // Prepare: the JP seller authorizes on amazon.com.au, where it does not sell.
    const au = await authorize(h, 'au', 'ASANDBOXJP0001');
    await exchangeCode(h, au.code);
    const beforeJp = await (await get(`${h.url}/sellercentral/jp/apps/manage`)).text();
    const jp = await authorize(h, 'jp', 'ASANDBOXJP0001');
    await exchangeCode(h, jp.code);

    // Act
    const afterJp = await (await get(`${h.url}/sellercentral/jp/apps/manage`)).text();

    // Assess
    expect(beforeJp).toContain('id="authorize-ASANDBOXJP0001">Authorize</button>');
    expect(afterJp).toContain('id="authorize-ASANDBOXJP0001">Re-Authorize</button>');
  });

  it('shows Authorize again after the seller revokes the app', async () => {
    // Prepare
    const { code } = await authorize(h, 'jp');
    await exchangeCode(h, code);
    h.sandbox.revoke('ASANDBOXJP0001');

    // Act
    const html = await (await get(`${h.url}/sellercentral/jp/apps/manage`)).text();

    // Assess
    expect(html).toContain('id="authorize-ASANDBOXJP0001">Authorize</button>');
  });

  it('says so when no sandbox seller sells on the marketplace', async () => {
    // Act
    const html = await (await get(`${h.url}/sellercentral/br/apps/manage`)).text();

    // Assess
    expect(html).toContain('id="no-sellers"');
  });

  it('starts at the Log-in URI without an app state, then issues a code for the state the service adds', async () => {
    // Prepare
    const page = await (await get(`${h.url}/sellercentral/uk/apps/manage`)).text();

    // Act
    const login = location(await postForm(`${h.url}/sellercentral/uk/apps/manage/authorize`, { form_token: formToken(page), selling_partner_id: 'ASANDBOXEU0002' }));
    const redirect = location(await get(callbackFrom(login, { amazon_state: login.searchParams.get('amazon_state') ?? undefined, state: 'state-from-service' })));

    // Assess
    expect(`${login.origin}${login.pathname}`).toBe(LOGIN_URI);
    expect(login.searchParams.get('amazon_callback_uri')).toBe(`${h.url}/sellercentral/uk/apps/authorize/callback`);
    expect(login.searchParams.get('selling_partner_id')).toBe('ASANDBOXEU0002');
    expect(login.searchParams.has('state')).toBe(false);
    expect(redirect.searchParams.get('state')).toBe('state-from-service');
    expect(redirect.searchParams.get('selling_partner_id')).toBe('ASANDBOXEU0002');
    expect((await exchangeCode(h, redirect.searchParams.get('spapi_oauth_code') as string)).status).toBe(200);
  });

  it('refuses a forged form and a seller not on the marketplace', async () => {
    // Prepare
    const page = await (await get(`${h.url}/sellercentral/de/apps/manage`)).text();

    // Act
    const forged = await postForm(`${h.url}/sellercentral/de/apps/manage/authorize`, { form_token: 'C'.repeat(32), selling_partner_id: 'ASANDBOXEU0001' });
    const notOnDe = await postForm(`${h.url}/sellercentral/de/apps/manage/authorize`, { form_token: formToken(page), selling_partner_id: 'ASANDBOXEU0002' });

    // Assess
    expect(forged.status).toBe(400);
    expect(notOnDe.status).toBe(400);
  });

  it('adds version=beta for a Draft app', async () => {
    // Prepare
    const draft = await startSandbox({ app: { draft: true } });
    try {
      const page = await (await get(`${draft.url}/sellercentral/us/apps/manage`)).text();

      // Act
      const login = location(await postForm(`${draft.url}/sellercentral/us/apps/manage/authorize`, { form_token: formToken(page), selling_partner_id: 'ASANDBOXNA0001' }));

      // Assess
      expect(login.searchParams.get('version')).toBe('beta');
    } finally {
      await draft.close();
    }
  });
});

describe('Amazon sandbox: the index page', () => {
  it('lists the test sellers with links to Manage Your Apps', async () => {
    // Prepare
    const h = await startSandbox();
    try {
      // Act
      const html = await (await get(`${h.url}/`)).text();

      // Assess
      for (const seller of h.sandbox.sellers) expect(html).toContain(seller.sellingPartnerId);
      expect(html).toContain('href="/sellercentral/uk/apps/manage"');
    } finally {
      await h.close();
    }
  });
});
