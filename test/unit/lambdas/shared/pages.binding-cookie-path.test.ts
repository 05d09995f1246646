import { bindingCookieHeader, bindingCookiePath } from '../../../../lambdas/shared/pages.js';
import { authHarness } from '../../../builders/auth.js';
import { captureOutput } from '../../../builders/output.js';

/** The binding cookie's path under an API base path: scoped to where the browser sends the Log-in and Redirect URIs, and never cut short. */

/** Handler logs, at DEBUG, go to the captured output instead of the test report. */
captureOutput();

describe('binding cookie path under an API base path', () => {
  it('is scoped below the base path of API_BASE_URL, where the browser sends the Log-in and Redirect URIs', () => {
    expect(bindingCookiePath('https://api.aob.test')).toBe('/v1/amazon/');
    expect(bindingCookiePath('https://api.aob.test/amazon-connect')).toBe('/amazon-connect/v1/amazon/');
    expect(bindingCookieHeader('v', 60, 'https://api.aob.test/amazon-connect')).toBe('aob_amazon_auth=v; Path=/amazon-connect/v1/amazon/; Max-Age=60; HttpOnly; SameSite=Lax; Secure');
  });

  it('cannot end the attribute early, whatever the base path holds', () => {
    const header = bindingCookieHeader('v', 60, 'https://api.aob.test/a;Domain=evil.example,b');
    expect(header.split('; ').filter((p) => p.startsWith('Domain'))).toEqual([]);
    expect(header).toContain('Path=/a%3BDomain%3Devil.example%2Cb/v1/amazon/;');
  });

  it('the ticket route sets it so that the redirect URI of the configuration is inside its path', async () => {
    const h = authHarness({ env: { API_BASE_URL: 'https://gw.aob.test/connect' } });
    const { opened } = await h.startFlow('UK');
    const path = /Path=([^;]+)/.exec(String(opened.cookies?.[0]))?.[1] as string;
    expect(new URL(h.cfg.redirectUri).pathname.startsWith(path)).toBe(true);
    expect(new URL(`${h.cfg.apiBaseUrl}/v1/amazon/login`).pathname.startsWith(path)).toBe(true);
  });
});
