/**
 * Loopback: where plain http is acceptable (the local stack, a developer's own frontend) and
 * where every local server listens. The functions' configuration, the CDK stage context, the
 * binding cookie's `Secure` flag, the local stack and the ops CLI all go by these.
 */

/** Hosts (as `URL.hostname` spells them) on which plain http is acceptable. */
export const LOOPBACK_HOSTS: readonly string[] = ['127.0.0.1', 'localhost', '[::1]'];

/** The address every local server binds to and every local URL names. */
export const LOOPBACK_ADDRESS = '127.0.0.1';

/** `http://127.0.0.1:{port}`: a local server's origin. */
export function loopbackUrl(port: number): string {
  return `http://${LOOPBACK_ADDRESS}:${port}`;
}

// Arrow functions: the two checks are in every Lambda bundle, and minify smaller this way.

/** Plain http on a loopback host. */
export const isLoopbackHttp = (url: URL): boolean => url.protocol === 'http:' && LOOPBACK_HOSTS.includes(url.hostname);

/** https anywhere, or http on a loopback host: the rule for every URL the service is configured with. */
export const isHttpsOrLoopback = (url: URL): boolean => url.protocol === 'https:' || isLoopbackHttp(url);
