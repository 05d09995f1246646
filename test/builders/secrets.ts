import { SecretNotFoundError } from '../../lambdas/ports/failures.js';
import type { GrantSecretStore } from '../../lambdas/ports/secret-store.js';
import type { StoredTokens, TokenSecretStore } from '../../lambdas/ports/token-secrets.js';

/** The fakes of the secret stores: the grant secrets as the venue and authorization use cases see them, and with Secrets Manager's rules. */

const tick = () => new Promise<void>((resolve) => setImmediate(resolve));

/**
 * The grant secrets in memory: every put, its request token and every scheduled deletion are
 * recorded; `failures` makes the next puts throw, `deletionFailure` every deletion.
 */
export class InMemorySecretStore implements GrantSecretStore {
  readonly secrets = new Map<string, string>();
  readonly requestTokens: string[] = [];
  /** Names scheduled for deletion, in order. */
  readonly deleted: string[] = [];
  puts = 0;
  /** Errors thrown by the next puts, in order. */
  failures: Error[] = [];
  /** Thrown by every deletion (Secrets Manager refusing it), or undefined. */
  deletionFailure: Error | undefined;

  async putRefreshToken(secretName: string, refreshToken: string, requestToken: string): Promise<{ created: boolean }> {
    await tick();
    this.puts++;
    this.requestTokens.push(requestToken);
    const failure = this.failures.shift();
    if (failure) throw failure;
    const created = !this.secrets.has(secretName);
    this.secrets.set(secretName, refreshToken);
    return { created };
  }

  async getRefreshToken(secretName: string): Promise<string> {
    return this.secrets.get(secretName) ?? '';
  }

  async scheduleDeletion(secretName: string): Promise<void> {
    if (this.deletionFailure) throw this.deletionFailure;
    this.deleted.push(secretName);
  }
}

interface Secret {
  versions: Map<string, StoredTokens>;
  current: string;
  scheduledForDeletion: boolean;
}

/**
 * Grant secrets with Secrets Manager's rules: a secret scheduled for deletion cannot be read or
 * given a new value (the authorization flow's `putRefreshToken` restores it first, as the
 * adapter does); versions are kept by id. Counts every call.
 */
export class SecretsManagerLike implements GrantSecretStore, TokenSecretStore {
  readonly secrets = new Map<string, Secret>();
  readonly calls = { put: 0, get: 0, delete: 0, readTokens: 0, writeTokens: 0 };
  readonly deleted: string[] = [];

  async putRefreshToken(secretName: string, refreshToken: string, requestToken: string): Promise<{ created: boolean }> {
    await tick();
    this.calls.put++;
    const existing = this.secrets.get(secretName);
    const tokens = { refreshToken, accessToken: null, accessTokenExpiresAt: null };
    if (!existing) {
      this.secrets.set(secretName, { versions: new Map([[requestToken, tokens]]), current: requestToken, scheduledForDeletion: false });
      return { created: true };
    }
    existing.scheduledForDeletion = false;
    existing.versions.set(requestToken, tokens);
    existing.current = requestToken;
    return { created: false };
  }

  async getRefreshToken(secretName: string): Promise<string> {
    return (await this.readTokens(secretName)).refreshToken;
  }

  async scheduleDeletion(secretName: string): Promise<void> {
    await tick();
    this.calls.delete++;
    this.deleted.push(secretName);
    const s = this.secrets.get(secretName);
    if (s) s.scheduledForDeletion = true;
  }

  async readTokens(secretName: string, versionId?: string): Promise<StoredTokens> {
    await tick();
    this.calls.readTokens++;
    const s = this.secrets.get(secretName);
    if (!s || s.scheduledForDeletion) throw new SecretNotFoundError();
    const tokens = s.versions.get(versionId ?? s.current);
    if (!tokens) throw new SecretNotFoundError();
    return tokens;
  }

  async writeTokens(secretName: string, tokens: StoredTokens, versionId: string): Promise<void> {
    await tick();
    this.calls.writeTokens++;
    const s = this.secrets.get(secretName);
    if (!s || s.scheduledForDeletion) throw new SecretNotFoundError();
    s.versions.set(versionId, tokens);
    s.current = versionId;
  }

  isLive(secretName: string): boolean {
    const s = this.secrets.get(secretName);
    return !!s && !s.scheduledForDeletion;
  }
}
