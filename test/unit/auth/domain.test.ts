import { failure, outcomeUrl, REASON_CODES, reasonForAmazonError, success } from '../../../lambdas/domain/authorization-outcomes.js';
import { outcomeText, REASON_TEXT } from '../../../lambdas/shared/page-text.js';
import { authorizationExpiry } from '../../../lambdas/domain/flow-lifetimes.js';
import { grantSecretName } from '../../../lambdas/domain/grant-secret-name.js';
import { hashOneTime, isOneTimeValue, newOneTimeValue, stateFromBinding, stateMatchesBinding } from '../../../lambdas/domain/one-time-values.js';
import { parseAmazonCallbackUri } from '../../../lambdas/domain/amazon-parameters.js';
import { resolveReturnPath } from '../../../lambdas/domain/return-path.js';
import { SELLER_CENTRAL_HOSTS } from '../../../lambdas/domain/marketplaces.js';
import { CALLBACK_URI, authHarness, browserEvent, invoke, jwtEvent } from '../../builders/auth.js';

describe('one-time values (S1)', () => {
  it('10,000 tickets, bindings and derived states: 0 collisions, 256 bits each, base64url', () => {
    // Prepare / Act
    const values = Array.from({ length: 10_000 }, () => newOneTimeValue());
    const states = values.map(stateFromBinding);
    // Assess
    expect(new Set(values).size).toBe(10_000);
    expect(new Set(states).size).toBe(10_000);
    expect(values.every(isOneTimeValue)).toBe(true);
    expect(states.every(isOneTimeValue)).toBe(true);
    expect(Buffer.from(values[0]!, 'base64url')).toHaveLength(32);
  });

  it('stores a SHA-256 hex digest, never the value', () => {
    const v = newOneTimeValue();
    expect(hashOneTime(v)).toMatch(/^[0-9a-f]{64}$/);
    expect(hashOneTime(v)).not.toContain(v);
  });

  it('a state belongs to exactly one binding', () => {
    const binding = newOneTimeValue();
    expect(stateMatchesBinding(stateFromBinding(binding), binding)).toBe(true);
    expect(stateMatchesBinding(stateFromBinding(newOneTimeValue()), binding)).toBe(false);
    expect(stateMatchesBinding('short', binding)).toBe(false);
  });

  it('lifetime is capped at 10 minutes whatever the configuration says (S4)', () => {
    const now = new Date('2026-01-01T00:00:00Z');
    expect(authorizationExpiry(now, 60 * 60_000).getTime() - now.getTime()).toBe(10 * 60_000);
    expect(authorizationExpiry(now, 5 * 60_000).getTime() - now.getTime()).toBe(5 * 60_000);
  });
});

describe('amazon_callback_uri (S6)', () => {
  it.each([
    'https://sellercentral.amazon.com/apps/authorize/confirm/amzn1.sp.solution.x',
    'https://sellercentral-europe.amazon.com/apps/authorize/confirm/amzn1.sp.solution.x?marketplaceId=A1F83G8C2ARO7P',
    'https://sellercentral.amazon.co.jp/apps/authorize/confirm/x',
  ])('accepts %s', (uri) => {
    expect(parseAmazonCallbackUri(uri)?.href).toBe(uri);
  });

  it('accepts any marketplace under the local sandbox override, and nothing else then', () => {
    const override = 'http://127.0.0.1:3001/sellercentral/{marketplace}';
    expect(parseAmazonCallbackUri('http://127.0.0.1:3001/sellercentral/de/apps/authorize/confirm/x', { sellerCentralUrlOverride: override })).not.toBeNull();
    expect(parseAmazonCallbackUri('http://127.0.0.1:3001/elsewhere/x', { sellerCentralUrlOverride: override })).toBeNull();
    expect(parseAmazonCallbackUri('http://127.0.0.1:3002/sellercentral/de/x', { sellerCentralUrlOverride: override })).toBeNull();
    expect(parseAmazonCallbackUri('http://127.0.0.1:3001/sellercentral/xx/x', { sellerCentralUrlOverride: override })).toBeNull();
  });

  it('the allow-list is the catalog’s Seller Central hosts', () => {
    for (const host of SELLER_CENTRAL_HOSTS) expect(parseAmazonCallbackUri(`https://${host}/apps/authorize/confirm/x`)).not.toBeNull();
  });
});

/** ≥ 500 hostile `amazon_callback_uri` values: every trick that could make a parser read another host. */
export function hostileCallbackUris(): string[] {
  const evilHosts = ['evil.tld', 'attacker.example', '127.0.0.1', 'sellercentral.amazon.com.evil.tld', 'amazon.com', 'sellercentral.amazon.evil', 'xn--sellercentral-8za.amazon.com', 'localhost', 'evil.com', 'sellercentral-europe.amazon.com.evil.tld'];
  const sc = 'sellercentral.amazon.com';
  const templates: ((e: string) => string)[] = [
    (e) => `//${e}/x`,
    (e) => `https://${e}/x`,
    (e) => `http://${e}/x`,
    (e) => `https://${sc}.${e}/x`,
    (e) => `https://${sc}@${e}/x`,
    (e) => `https://x@${e}/apps`,
    (e) => `https://${e}#@${sc}/x`,
    (e) => `https://${e}?@${sc}/x`,
    (e) => `https://${e}%2F@${sc}/x`,
    (e) => `https://${sc}%2F@${e}/x`,
    (e) => `https://${sc}%40${e}/x`,
    (e) => `https:%2F%2F${e}/x`,
    (e) => `https:/%2F${e}/x`,
    (e) => `https:\\\\${e}\\x`,
    (e) => `https://${sc}\\@${e}/x`,
    (e) => `https://${sc}\\.${e}/x`,
    (e) => `https:/\\${e}/x`,
    (e) => `/\\${e}/x`,
    (e) => `\\\\${e}/x`,
    (e) => `javascript://${e}/%0aalert(1)`,
    (e) => `JaVaScRiPt:alert('${e}')`,
    (e) => `data:text/html,<a href="https://${e}">`,
    (e) => `https://${sc}%00.${e}/x`,
    (e) => `https://${sc}%2e${e}/x`,
    (e) => `https://${sc}:443@${e}/x`,
    (e) => `https://${sc}:8443/x?${e}`,
    (e) => `https://${sc}./x?${e}`,
    (e) => `HTTPS://${e.toUpperCase()}/x`,
    (e) => ` https://${e}/x`,
    (e) => `https://${e}/x\n`,
    (e) => `\thttps://${sc}/x?${e}`,
    (e) => `https://${sc}/x/../../${e}`,
    (e) => `https://${sc}/%2e%2e/%2f${e}`,
    (e) => `https://${sc}/x%2F%2F${e}`,
    (e) => `https://${sc}/x%5C${e}`,
    (e) => `https://${sc}/x?state=${e}`,
    (e) => `https://${sc}/x?amazon_state=a&r=${e}`,
    (e) => `https://${sc}/x?a=1&a=${e}`,
    (e) => `https://${sc}/x#${e}`,
    (e) => `https://sellercentrаl.amazon.com/x?${e}`, // Cyrillic а
    (e) => `https://ѕellercentral.amazon.com/x?${e}`, // Cyrillic ѕ
    (e) => `https://sellercentral．amazon．com/x?${e}`, // fullwidth dots
    (e) => `https://ｓellercentral.amazon.com/x?${e}`, // fullwidth s
    (e) => `https://sellercentral.amazon.com\u200b/x?${e}`, // zero-width space
    (e) => `https://sellercentral.amazon.co\u2024m/x?${e}`, // one-dot leader
    (e) => `https://${e}\u3002com/x`,
    (e) => `${sc}/x?${e}`,
    (e) => `/apps/authorize/consent?${e}`,
    (e) => `relative/${e}`,
    (e) => `https://${sc}`.padEnd(2100, 'a') + e,
    (e) => `ftp://${sc}/x?${e}`,
    (e) => `https://[::1]/x?${e}`,
    (e) => `https://0x7f.0.0.1/x?${e}`,
    (e) => `https://2130706433/x?${e}`,
    (e) => `https://${sc}/x?u=%ZZ${e}`,
    (e) => `https://${sc}/x?u=%%32%46${e}`,
    (e) => `%68ttps://${e}/x`,
    (e) => `https://${sc}/x?ok=1#frag${e}`,
    (e) => `https://${sc}/..;/${e}`,
    (e) => `https://${sc}/./${e}`,
  ];
  return evilHosts.flatMap((e) => templates.map((t) => t(e)));
}

export function hostileReturnPaths(): string[] {
  const evil = ['evil.tld', 'attacker.example', 'app.aob.test.evil.tld'];
  const templates: ((e: string) => string)[] = [
    (e) => `//${e}`,
    (e) => `//${e}/settings/venues`,
    (e) => `https://${e}/settings/venues`,
    (e) => `/\\${e}`,
    (e) => `\\\\${e}`,
    (e) => `/%2F${e}`,
    (e) => `%2F%2F${e}`,
    (e) => `/settings/venues@${e}`,
    (e) => `/settings/venues/../../${e}`,
    (e) => `/settings/venues?next=//${e}`,
    (e) => `/settings/venues#//${e}`,
    (e) => `javascript:alert('${e}')`,
    (e) => `/settings/venues\n//${e}`,
    (e) => `/settings/venues/${e}`,
    (e) => `/settings/venuеs${e}`, // Cyrillic е
    (e) => `／／${e}`,
    (e) => `/ /${e}`,
  ];
  return evil.flatMap((e) => templates.map((t) => t(e)));
}

describe('no open redirect (S6): ≥ 500 hostile values → 0 off-site Location', () => {
  const onSite = (location: unknown) => {
    if (location === undefined) return true;
    const url = new URL(String(location));
    return url.origin === 'https://app.aob.test' || SELLER_CENTRAL_HOSTS.has(url.host);
  };

  it('hostile amazon_callback_uri at the Log-in URI (with and without a binding cookie) and at login-continuations', async () => {
    // Prepare
    const h = authHarness();
    const { binding } = await h.startFlow('UK');
    const uris = hostileCallbackUris();
    expect(uris.length).toBeGreaterThanOrEqual(500);
    let offSite = 0;
    let accepted = 0;
    // Act
    for (const uri of uris) {
      for (const cookie of [null, binding]) {
        const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: uri, amazon_state: 'amz', selling_partner_id: 'A3AUTHSELLER01' }, cookie }));
        if (!onSite(res.headers?.location)) offSite++;
        if (res.statusCode !== 400) accepted++;
      }
      const cont = await invoke(h.handlers.continueLogin, jwtEvent({ body: { amazonCallbackUri: uri, amazonState: 'amz', sellingPartnerId: 'A3AUTHSELLER01', marketplace: 'UK' } }));
      if (cont.statusCode !== 400) accepted++;
    }
    // Assess
    expect(offSite).toBe(0);
    expect(accepted).toBe(0);
  });

  it('the same hostile values fed to the domain check are all refused, and random strings never pass as another host', () => {
    for (const uri of hostileCallbackUris()) expect(parseAmazonCallbackUri(uri)).toBeNull();
    for (let i = 0; i < 2000; i++) {
      const junk = `https://${Array.from({ length: 1 + (i % 40) }, () => String.fromCharCode(33 + Math.floor(Math.random() * 94))).join('')}`;
      const parsed = parseAmazonCallbackUri(junk);
      if (parsed) expect(SELLER_CENTRAL_HOSTS.has(parsed.host)).toBe(true);
    }
  });

  it('hostile returnPath values are refused with 400; only configured paths are accepted', async () => {
    const h = authHarness();
    const paths = hostileReturnPaths();
    let accepted = 0;
    for (const returnPath of paths) {
      const res = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK', body: { returnPath } }));
      if (res.statusCode !== 400) accepted++;
      expect(() => resolveReturnPath(returnPath, h.cfg.frontendReturnPaths)).toThrow();
    }
    expect(accepted).toBe(0);
    expect(paths.length + hostileCallbackUris().length).toBeGreaterThanOrEqual(500);
  });
});

describe('outcomes', () => {
  it('builds the frontend URL contract', () => {
    expect(outcomeUrl('https://app.aob.test', '/settings/venues', success('UK'))).toBe('https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK');
    expect(outcomeUrl('https://app.aob.test', '/settings/venues', success('UK', 'NOT_REGISTERED'))).toBe(
      'https://app.aob.test/settings/venues?amazon_authorization=success&marketplace=UK&notice=NOT_REGISTERED',
    );
    expect(outcomeUrl('https://app.aob.test', '/x', failure('WRONG_REGION', 'JP'))).toBe('https://app.aob.test/x?amazon_authorization=error&marketplace=JP&reason=WRONG_REGION');
  });

  it('says on the outcome URL and page whether the authorization was renewed or replaced another seller account', () => {
    expect(outcomeUrl('https://app.aob.test', '/v', success('UK', null, { kind: 'renewed' }))).toBe('https://app.aob.test/v?amazon_authorization=success&marketplace=UK&change=renewed');
    expect(outcomeUrl('https://app.aob.test', '/v', success('UK', 'NOT_REGISTERED', { kind: 'replaced', sellingPartnerId: 'A1OLDSELLER' }))).toBe(
      'https://app.aob.test/v?amazon_authorization=success&marketplace=UK&notice=NOT_REGISTERED&change=replaced&replaced=A1OLDSELLER',
    );
    expect(outcomeText(success('UK', null, { kind: 'renewed' })).title).toBe('Amazon authorization renewed');
    expect(outcomeText(success('UK', null, { kind: 'replaced', sellingPartnerId: 'A1OLDSELLER' })).message).toContain(
      'This replaced the authorization of Amazon seller account A1OLDSELLER, which AoB no longer uses.',
    );
    expect(outcomeText(success('UK')).title).toBe('Amazon is connected');
  });

  it('every reason code has a page text naming what happened and the next step', () => {
    for (const code of REASON_CODES) {
      expect(REASON_TEXT[code].title.length).toBeGreaterThan(10);
      expect(REASON_TEXT[code].nextStep.length).toBeGreaterThan(10);
    }
  });

  it('maps Amazon’s error parameter (S9)', () => {
    expect(reasonForAmazonError('access_denied')).toBe('ACCESS_DENIED');
    expect(reasonForAmazonError('temporarily_unavailable')).toBe('AMAZON_UNAVAILABLE');
    expect(reasonForAmazonError('invalid_request')).toBe('CODE_EXCHANGE_FAILED');
  });

  it('names one secret per authorization under the prefix, keeping account ids and authorizations apart', () => {
    expect(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1')).toMatch(/^p\/acct-1\/EU\/A1\/a-[0-9a-f]{20}$/);
    expect(grantSecretName('p/', 'org:1', 'FE#A1#JP', 'state-hash-1')).toMatch(/^p\/org=3A1\/FE\/A1\/JP\/a-[0-9a-f]{20}$/);
    expect(grantSecretName('p/', 'org:1', 'EU#A1', 's')).not.toBe(grantSecretName('p/', 'org_1', 'EU#A1', 's'));
    expect(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1')).toBe(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1'));
    expect(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-1')).not.toBe(grantSecretName('p/', 'acct-1', 'EU#A1', 'state-hash-2'));
  });
});

it('CALLBACK_URI fixture is a valid callback', () => {
  expect(parseAmazonCallbackUri(CALLBACK_URI)).not.toBeNull();
});
