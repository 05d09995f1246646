import * as z from 'zod/mini';

/**
 * Amazon's SP-API notification envelope for the two application notifications, as Amazon
 * delivers them to the registered SQS queue (the message body is this JSON). Unknown envelope
 * members are allowed (Amazon adds some over time); the members the service acts on are strict.
 * zod/mini: the handler loads it at cold start (zod classic is ~90 KiB and ×1.2 of one).
 */

const isoTime = z.iso.datetime({ offset: true });
/** Ids Amazon generates: letters, digits and a few separators; bounded so a log line stays short. */
const amazonId = z.string().check(z.regex(/^[A-Za-z0-9._:-]{1,128}$/, 'must be an id of letters, digits and . _ : -'));

const metadata = z.looseObject({
  notificationId: amazonId,
  publishTime: z.optional(isoTime),
  applicationId: z.optional(z.string().check(z.maxLength(128))),
  subscriptionId: z.optional(z.string().check(z.maxLength(128))),
});

const envelope = {
  notificationVersion: z.optional(z.string().check(z.maxLength(16))),
  payloadVersion: z.optional(z.string().check(z.maxLength(32))),
  eventTime: z.optional(isoTime),
  notificationMetadata: metadata,
};

export const SecretExpiryNotification = z.looseObject({
  ...envelope,
  notificationType: z.literal('APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY'),
  payload: z.looseObject({
    applicationOAuthClientSecretExpiry: z.looseObject({
      clientId: z.string().check(z.minLength(1), z.maxLength(256)),
      clientSecretExpiryTime: isoTime,
      clientSecretExpiryReason: z.optional(z.string().check(z.maxLength(128))),
    }),
  }),
});

export const NewSecretNotification = z.looseObject({
  ...envelope,
  notificationType: z.literal('APPLICATION_OAUTH_CLIENT_NEW_SECRET'),
  payload: z.looseObject({
    applicationOAuthClientNewSecret: z.looseObject({
      clientId: z.string().check(z.minLength(1), z.maxLength(256)),
      newClientSecret: z.string().check(z.minLength(1), z.maxLength(1024)),
      newClientSecretExpiryTime: isoTime,
      oldClientSecretExpiryTime: isoTime,
    }),
  }),
});

export const AppNotification = z.discriminatedUnion('notificationType', [SecretExpiryNotification, NewSecretNotification]);
export type AppNotification = z.infer<typeof AppNotification>;

/**
 * Why a message body is not an app notification, in words that never quote it: the paths and
 * codes of the problems only (a value could be the new secret).
 */
export function parseAppNotification(body: string): { ok: true; notification: AppNotification } | { ok: false; problem: string } {
  let value: unknown;
  try {
    value = JSON.parse(body);
  } catch {
    return { ok: false, problem: 'the message body is not JSON' };
  }
  const parsed = AppNotification.safeParse(value);
  if (parsed.success) return { ok: true, notification: parsed.data };
  const problems = parsed.error.issues.slice(0, 5).map((i) => `${i.path.join('.') || 'body'} (${i.code})`);
  return { ok: false, problem: `not an application notification: ${problems.join(', ')}` };
}
