import * as v from 'valibot';

/**
 * Amazon's SP-API notification envelope for the two application notifications, as Amazon
 * delivers them to the registered SQS queue (the message body is this JSON). Unknown envelope
 * members are allowed (Amazon adds some over time); the members the service acts on are strict.
 * valibot, like every schema a function loads at cold start: its schemas are plain objects, so
 * building them costs next to nothing (README, "Performance").
 */

/**
 * A time as Amazon writes it: an RFC 3339 date-time with `T`, seconds, optional fractions and a
 * `Z` or `±hh:mm` offset. Stricter than valibot's `isoTimestamp` alone, which also takes a space
 * for `T` and offsets without a colon.
 */
const RFC3339_TIME = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(?:\.\d{1,9})?(?:Z|[+-]\d{2}:\d{2})$/;
const isoTime = v.pipe(v.string(), v.regex(RFC3339_TIME), v.isoTimestamp());
/** Ids Amazon generates: letters, digits and a few separators; bounded so a log line stays short. */
const amazonId = v.pipe(v.string(), v.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be an id of letters, digits and . _ : -'));
const bounded = (max: number) => v.pipe(v.string(), v.maxLength(max));

const metadata = v.looseObject({
  notificationId: amazonId,
  publishTime: v.optional(isoTime),
  applicationId: v.optional(bounded(128)),
  subscriptionId: v.optional(bounded(128)),
});

const envelope = {
  notificationVersion: v.optional(bounded(16)),
  payloadVersion: v.optional(bounded(32)),
  eventTime: v.optional(isoTime),
  notificationMetadata: metadata,
};

const clientId = v.pipe(v.string(), v.minLength(1), v.maxLength(256));

export const SecretExpiryNotification = v.looseObject({
  ...envelope,
  notificationType: v.literal('APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY'),
  payload: v.looseObject({
    applicationOAuthClientSecretExpiry: v.looseObject({
      clientId,
      clientSecretExpiryTime: isoTime,
      clientSecretExpiryReason: v.optional(bounded(128)),
    }),
  }),
});

export const NewSecretNotification = v.looseObject({
  ...envelope,
  notificationType: v.literal('APPLICATION_OAUTH_CLIENT_NEW_SECRET'),
  payload: v.looseObject({
    applicationOAuthClientNewSecret: v.looseObject({
      clientId,
      newClientSecret: v.pipe(v.string(), v.minLength(1), v.maxLength(1024)),
      newClientSecretExpiryTime: isoTime,
      oldClientSecretExpiryTime: isoTime,
    }),
  }),
});

export const AppNotification = v.variant('notificationType', [SecretExpiryNotification, NewSecretNotification]);
export type AppNotification = v.InferOutput<typeof AppNotification>;

/**
 * Why a message body is not an app notification, in words that never quote it: the paths and
 * kinds of the problems only (a value could be the new secret).
 */
export function parseAppNotification(body: string): { ok: true; notification: AppNotification } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the message body is not JSON' };
  }
  const parsed = v.safeParse(AppNotification, value);
  if (parsed.success) return { ok: true, notification: parsed.output };
  const problems = parsed.issues.slice(0, 5).map((i) => `${v.getDotPath(i) ?? 'body'} (${i.type})`);
  return { ok: false, problem: `not an application notification: ${problems.join(', ')}` };
}
