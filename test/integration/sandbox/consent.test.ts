import { afterEach, beforeEach, describe, expect, it } from '@jest/globals';
import { APP, type Harness, REDIRECT_URI, consentUrl, formToken, get, location, postForm, selectedSeller, startSandbox } from './harness.js';

describe('Amazon sandbox: Seller Central consent page', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  it.each([
    ['us', 'ASANDBOXNA0001'],
    ['ca', 'ASANDBOXNA0001'],
    ['uk', 'ASANDBOXEU0001'],
    ['de', 'ASANDBOXEU0001'],
    ['fr', 'ASANDBOXEU0001'],
    ['jp', 'ASANDBOXJP0001'],
    // Nobody sells there: Seller Central would sign in a seller of the same region, who is not registered.
    ['br', 'ASANDBOXNA0001'],
    ['au', 'ASANDBOXJP0001'],
  ])('on %s preselects %s and offers every test seller', async (mp, expected) => {
    // Act
    const response = await get(consentUrl(h, mp));
    const html = await response.text();

    // Assess
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(selectedSeller(html)).toBe(expected);
    for (const seller of h.sandbox.sellers) expect(html).toContain(`<option value="${seller.sellingPartnerId}"`);
    expect(html).toContain('Amazon sandbox — local only');
  });

  it('names the app and carries the stable ids a browser test drives', async () => {
    // Act
    const html = await (await get(consentUrl(h, 'uk'))).text();

    // Assess
    expect(html).toContain('<span id="app-name">AoB Amazon Connect</span>');
    expect(html).toMatch(/<form method="post" action="\/sellercentral\/uk\/apps\/authorize\/confirm" id="consent-form">/);
    expect(html).toMatch(/<select id="seller" name="selling_partner_id">/);
    expect(html).toMatch(/<input type="checkbox" id="consent-checkbox" name="consent" value="yes"> I direct Amazon to provide AoB with access to my Amazon seller account/);
    expect(html).toMatch(/<button[^>]*id="confirm" name="decision" value="confirm" disabled>Confirm<\/button>/);
    expect(html).toMatch(/<button[^>]*id="deny" name="decision" value="deny">Cancel<\/button>/);
    expect(html).toMatch(/<input type="hidden" name="form_token" id="form-token" value="[A-Za-z0-9]{32}">/);
  });

  it('never echoes the app state into the page', async () => {
    // Act
    const html = await (await get(consentUrl(h, 'uk', { state: 'secret-state-marker' }))).text();

    // Assess
    expect(html).not.toContain('secret-state-marker');
  });

  it.each([
    ['an unknown application_id', { application_id: 'amzn1.sp.solution.someone-else' }, 404, 'We could not find this application', undefined],
    ['a redirect_uri that is not registered', { redirect_uri: 'https://evil.example/callback' }, 400, 'We could not authorize this application', 'MD5101'],
    ['a redirect_uri with a fragment', { redirect_uri: `${REDIRECT_URI}#x` }, 400, 'We could not authorize this application', 'MD5110'],
    ['no state', { state: '' }, 400, 'We could not process your request', undefined],
  ])('refuses %s with an Amazon-like error page', async (_name, params, status, title, code) => {
    // Act
    const response = await get(consentUrl(h, 'uk', params));
    const html = await response.text();

    // Assess
    expect(response.status).toBe(status);
    expect(html).toContain(`<h1 id="error-title">${title}</h1>`);
    if (code) expect(html).toContain(`<strong id="error-code">${code}</strong>`);
    expect(html).not.toContain('id="consent-form"');
  });

  it('accepts the registered redirect_uri', async () => {
    // Act
    const response = await get(consentUrl(h, 'uk', { redirect_uri: REDIRECT_URI }));

    // Assess
    expect(response.status).toBe(200);
  });

  it('answers 404 for a marketplace Amazon does not have', async () => {
    // Act
    const response = await get(`${h.url}/sellercentral/xx/apps/authorize/consent?application_id=${APP.applicationId}&state=s`);

    // Assess
    expect(response.status).toBe(404);
  });

  it('refuses a repeated parameter', async () => {
    // Act
    const response = await get(`${consentUrl(h, 'uk')}&state=second`);

    // Assess
    expect(response.status).toBe(400);
  });

  describe('for a Draft app', () => {
    let draft: Harness;
    beforeEach(async () => {
      draft = await startSandbox({ app: { draft: true } });
    });
    afterEach(() => draft.close());

    it('shows MD1000 without version=beta', async () => {
      // Act
      const response = await get(consentUrl(draft, 'uk'));
      const html = await response.text();

      // Assess
      expect(response.status).toBe(400);
      expect(html).toContain('<strong id="error-code">MD1000</strong>');
    });

    it('shows the consent page with version=beta', async () => {
      // Act
      const response = await get(consentUrl(draft, 'uk', { version: 'beta' }));

      // Assess
      expect(response.status).toBe(200);
    });
  });
});

describe('Amazon sandbox: confirming or denying consent', () => {
  let h: Harness;
  beforeEach(async () => {
    h = await startSandbox();
  });
  afterEach(() => h.close());

  async function openConsent(mp = 'uk', state = 'service-state-123'): Promise<string> {
    return formToken(await (await get(consentUrl(h, mp, { state }))).text());
  }

  it('refuses to confirm until the box is ticked, and keeps the page usable', async () => {
    // Prepare
    const token = await openConsent();

    // Act
    const refused = await postForm(`${h.url}/sellercentral/uk/apps/authorize/confirm`, { form_token: token, selling_partner_id: 'ASANDBOXEU0002', decision: 'confirm' });
    const refusedHtml = await refused.text();
    const retried = await postForm(`${h.url}/sellercentral/uk/apps/authorize/confirm`, { form_token: token, selling_partner_id: 'ASANDBOXEU0002', consent: 'yes', decision: 'confirm' });

    // Assess
    expect(refused.status).toBe(400);
    expect(refused.headers.get('location')).toBeNull();
    expect(refusedHtml).toContain('id="consent-problem"');
    expect(refusedHtml).toContain('Tick the box');
    expect(selectedSeller(refusedHtml)).toBe('ASANDBOXEU0002');
    expect(retried.status).toBe(302);
  });

  it('confirms once: the form cannot be submitted twice', async () => {
    // Prepare
    const token = await openConsent();
    const fields = { form_token: token, selling_partner_id: 'ASANDBOXEU0001', consent: 'yes', decision: 'confirm' };
    await postForm(`${h.url}/sellercentral/uk/apps/authorize/confirm`, fields);

    // Act
    const again = await postForm(`${h.url}/sellercentral/uk/apps/authorize/confirm`, fields);

    // Assess
    expect(again.status).toBe(400);
    expect(await again.text()).toContain('This page has expired');
  });

  it('refuses a forged form, a form from another marketplace and a stale form', async () => {
    // Prepare
    const ukToken = await openConsent('uk');
    const staleToken = await openConsent('de');
    h.clock.advance(31 * 60 * 1000);
    const fields = { selling_partner_id: 'ASANDBOXEU0001', consent: 'yes', decision: 'confirm' };

    // Act
    const forged = await postForm(`${h.url}/sellercentral/uk/apps/authorize/confirm`, { ...fields, form_token: 'A'.repeat(32) });
    const crossed = await postForm(`${h.url}/sellercentral/fr/apps/authorize/confirm`, { ...fields, form_token: ukToken });
    const stale = await postForm(`${h.url}/sellercentral/de/apps/authorize/confirm`, { ...fields, form_token: staleToken });

    // Assess
    expect([forged.status, crossed.status, stale.status]).toEqual([400, 400, 400]);
  });

  it('refuses a seller the sandbox does not have', async () => {
    // Prepare
    const token = await openConsent();

    // Act
    const response = await postForm(`${h.url}/sellercentral/uk/apps/authorize/confirm`, { form_token: token, selling_partner_id: 'AUNKNOWN', consent: 'yes', decision: 'confirm' });

    // Assess
    expect(response.status).toBe(400);
    expect(await response.text()).toContain('Choose a selling account');
  });

  it('refuses a body that is not a form', async () => {
    // Act
    const response = await fetch(`${h.url}/sellercentral/uk/apps/authorize/confirm`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });

    // Assess
    expect(response.status).toBe(415);
  });

  it('sends a denial straight to the Redirect URI with access_denied and the app state', async () => {
    // Prepare
    const token = await openConsent('de', 'deny-state');

    // Act
    const response = await postForm(`${h.url}/sellercentral/de/apps/authorize/confirm`, { form_token: token, selling_partner_id: 'ASANDBOXEU0001', decision: 'deny' });

    // Assess
    expect(response.status).toBe(302);
    const target = location(response);
    expect(`${target.origin}${target.pathname}`).toBe(REDIRECT_URI);
    expect(target.searchParams.get('state')).toBe('deny-state');
    expect(target.searchParams.get('error')).toBe('access_denied');
    expect(target.searchParams.get('error_description')).toBeTruthy();
    expect(target.searchParams.has('spapi_oauth_code')).toBe(false);
    expect(target.searchParams.has('selling_partner_id')).toBe(false);
  });

  it('answers 405 to a GET on the confirm route', async () => {
    // Act
    const response = await get(`${h.url}/sellercentral/uk/apps/authorize/confirm`);

    // Assess
    expect(response.status).toBe(405);
    expect(response.headers.get('allow')).toBe('POST');
  });
});
