import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeJwt, decodeProtectedHeader } from 'jose';
import { createDevJwt } from '../../../local/jwt.js';

/** The dev identity provider and the authorizer that checks its tokens like API Gateway's JWT authorizer. */

const options = { issuer: 'http://127.0.0.1:3000/__dev', audience: 'aob-amazon-connect-local', accountClaim: 'custom:accountId' };

describe('dev tokens', () => {
  it('are RS256 JWTs with issuer, audience, subject, expiry and the account claim', async () => {
    const jwt = await createDevJwt(options);

    const token = await jwt.issue({ accountId: 'acc-1' });

    expect(decodeProtectedHeader(token)).toMatchObject({ alg: 'RS256', kid: jwt.jwks.keys[0]!.kid });
    const claims = decodeJwt(token);
    expect(claims).toMatchObject({ iss: options.issuer, aud: options.audience, sub: 'local-user-acc-1', 'custom:accountId': 'acc-1' });
    expect(claims.exp! - claims.iat!).toBe(12 * 3600);
  });

  it('are accepted with or without the Bearer prefix, and give string claims like API Gateway', async () => {
    const jwt = await createDevJwt(options);
    const token = await jwt.issue({ accountId: 'acc-1', sub: 'user-7' });

    const withPrefix = await jwt.authorize(`Bearer ${token}`);
    const bare = await jwt.authorize(token);

    expect(withPrefix?.claims).toMatchObject({ 'custom:accountId': 'acc-1', sub: 'user-7', exp: expect.stringMatching(/^\d+$/) });
    expect(bare?.claims).toEqual(withPrefix?.claims);
    expect(withPrefix?.scopes).toBeNull();
  });

  it('are refused when expired, signed by another key or tampered with', async () => {
    const jwt = await createDevJwt(options);
    const stranger = await createDevJwt(options);
    const good = await jwt.issue({ accountId: 'acc-1' });
    const [header, , signature] = good.split('.');
    const forgedPayload = Buffer.from(JSON.stringify({ ...decodeJwt(good), 'custom:accountId': 'someone-else' })).toString('base64url');

    for (const token of [await jwt.issue({ accountId: 'acc-1', ttlSeconds: -1 }), await stranger.issue({ accountId: 'acc-1' }), `${header}.${forgedPayload}.${signature}`]) {
      expect(await jwt.authorize(`Bearer ${token}`)).toBeUndefined();
    }
    expect(await jwt.authorize(undefined)).toBeUndefined();
    expect(await jwt.authorize('Bearer')).toBeUndefined();
  });

  it('keep working across restarts when the key is kept in a file (readable by the owner only)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'aob-jwt-'));
    try {
      const keyFile = join(dir, 'dev-jwt-key.json');
      const token = await (await createDevJwt({ ...options, keyFile })).issue({ accountId: 'acc-1' });

      const restarted = await createDevJwt({ ...options, keyFile });

      expect(await restarted.authorize(`Bearer ${token}`)).toBeDefined();
      expect(statSync(keyFile).mode & 0o077).toBe(0);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
