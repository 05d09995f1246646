import { parseAmazonCallbackUri } from '../../../../lambdas/domain/amazon-parameters.js';
import { resolveReturnPath } from '../../../../lambdas/domain/return-path.js';
import { SELLER_CENTRAL_HOSTS } from '../../../../lambdas/domain/marketplaces.js';
import { authHarness, browserEvent, invoke, jwtEvent } from '../../../builders/auth.js';

/** S6: hundreds of hostile amazon_callback_uri and returnPath values at the routes and the domain checks: 0 off-site Location. */

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
