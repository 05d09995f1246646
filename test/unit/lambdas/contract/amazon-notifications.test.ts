import { parseAppNotification } from '../../../../lambdas/contract/amazon-notifications.js';
import { NEW_SECRET, aNewSecretNotice, anExpiryNotice } from '../../../builders/app-credentials.js';

/** The two application notifications as Amazon delivers them, and what is refused without quoting the body. */

const parse = (value: unknown) => parseAppNotification(JSON.stringify(value));
const refusal = (value: unknown) => {
  const result = parse(value);
  if (result.ok) throw new Error('expected a refusal');
  return result.problem;
};

it('reads both notifications, keeping the envelope members Amazon may add', () => {
  const expiry = parse({ ...anExpiryNotice(), addedLater: { any: 1 } });
  expect(expiry).toMatchObject({ ok: true, notification: { notificationType: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', addedLater: { any: 1 } } });
  const secret = parse(aNewSecretNotice());
  expect(secret).toMatchObject({ ok: true, notification: { payload: { applicationOAuthClientNewSecret: { newClientSecret: NEW_SECRET } } } });
});

it.each(['2026-07-01T00:00:00Z', '2026-07-01T00:00:00.123456Z', '2026-07-01T02:00:00+02:00', '2026-07-01T00:00:00-05:30'])('takes the RFC 3339 time %s', (time) => {
  const notice = anExpiryNotice();
  notice.payload.applicationOAuthClientSecretExpiry.clientSecretExpiryTime = time;
  expect(parse(notice).ok).toBe(true);
});

it.each(['soon', '2026-07-01', '2026-07-01 00:00:00Z', '2026-07-01T00:00Z', '2026-07-01T00:00:00', '2026-07-01T00:00:00+0200', '2026-13-01T00:00:00Z', '2026-07-32T00:00:00Z', '2026-07-01T25:00:00Z'])(
  'refuses the time %s',
  (time) => {
    const notice = anExpiryNotice();
    notice.payload.applicationOAuthClientSecretExpiry.clientSecretExpiryTime = time;
    expect(refusal(notice)).toContain('payload.applicationOAuthClientSecretExpiry.clientSecretExpiryTime');
  },
);

it.each([
  ['an unknown type', { ...anExpiryNotice(), notificationType: 'ANY_OFFER_CHANGED' }, 'notificationType'],
  ['no notificationId', { ...anExpiryNotice(), notificationMetadata: {} }, 'notificationMetadata.notificationId'],
  ['a notificationId with other characters', { ...anExpiryNotice({ notificationId: 'id with spaces' }) }, 'notificationMetadata.notificationId'],
  ['a new secret without its old expiry', { ...aNewSecretNotice(), payload: { applicationOAuthClientNewSecret: { clientId: 'c', newClientSecret: NEW_SECRET, newClientSecretExpiryTime: '2026-07-01T00:00:00Z' } } }, 'oldClientSecretExpiryTime'],
  ['an empty client id', { ...anExpiryNotice({ clientId: '' }) }, 'clientId'],
  ['a list', [anExpiryNotice()], 'notificationType'],
  ['a string', 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', 'body'],
])('refuses %s, naming where', (_what, value, where) => {
  expect(refusal(value)).toContain(where);
});

it('a refusal never quotes the body: not the new secret, not a value sent where a time belongs', () => {
  const notice = aNewSecretNotice();
  notice.payload.applicationOAuthClientNewSecret.oldClientSecretExpiryTime = NEW_SECRET;
  const problem = refusal(notice);
  expect(problem).not.toContain('MARKER');
  expect(problem).toMatch(/^not an application notification: /);
  expect(parseAppNotification('{"payload":')).toEqual({ ok: false, problem: 'the message body is not JSON' });
});
