import { createHash } from 'node:crypto';

/**
 * Secret name of one authorization of a grant: `${prefix}${accountId}/${grantKey}/a-${id}` with
 * `#` turned into `/` and `id` derived from the authorization's state hash. Every authorization
 * gets its own secret, so a disconnect (which schedules the deletion of the secret named by the
 * row it removed) can never hit a newer authorization's secret, and two racing exchanges of one
 * grant write two secrets of which the stored row names exactly one. Account ids may hold `:`,
 * which secret names do not allow; it becomes `=3A` (`=` never appears in an account id, so two
 * accounts never share a name). Grants stored before this scheme keep the name in their row
 * (`${prefix}${accountId}/${grantKey}`), which is what every reader uses.
 */
export function grantSecretName(prefix: string, accountId: string, grantKey: string, authorization: string): string {
  const id = createHash('sha256').update(`secret-name|${authorization}`).digest('hex').slice(0, 20);
  return `${prefix}${accountId.replaceAll(':', '=3A')}/${grantKey.replaceAll('#', '/')}/a-${id}`;
}
