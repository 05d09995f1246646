import { LOOPBACK_ADDRESS, isHttpsOrLoopback, isLoopbackHttp, loopbackUrl } from '../../../../lambdas/shared/loopback.js';

describe('loopback', () => {
  it.each(['http://127.0.0.1:3000', 'http://localhost:5173/settings', 'http://[::1]:8080'])('%s is plain http on loopback, so it passes the https-or-loopback rule', (url) => {
    expect(isLoopbackHttp(new URL(url))).toBe(true);
    expect(isHttpsOrLoopback(new URL(url))).toBe(true);
  });

  it.each(['https://app.aob.com', 'https://127.0.0.1:3000'])('%s is https: it passes, and is not plain http on loopback', (url) => {
    expect(isHttpsOrLoopback(new URL(url))).toBe(true);
    expect(isLoopbackHttp(new URL(url))).toBe(false);
  });

  it.each(['http://app.aob.com', 'http://127.0.0.2:3000', 'http://localhost.aob.com', 'ftp://127.0.0.1/', 'http://0.0.0.0:3000'])('refuses %s', (url) => {
    expect(isHttpsOrLoopback(new URL(url))).toBe(false);
    expect(isLoopbackHttp(new URL(url))).toBe(false);
  });

  it('names local servers by the address they bind to', () => {
    expect(loopbackUrl(3001)).toBe(`http://${LOOPBACK_ADDRESS}:3001`);
    expect(isLoopbackHttp(new URL(loopbackUrl(3001)))).toBe(true);
  });
});
