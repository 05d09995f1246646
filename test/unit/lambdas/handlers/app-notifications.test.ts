import { jest } from '@jest/globals';
import { makeAppNotificationsHandler } from '../../../../lambdas/handlers/app-notifications.js';
import { DAY_MS } from '../../../../lambdas/domain/time.js';
import { APP, InMemoryAppSecret, InMemoryStatusStore, NEW_SECRET, aNewSecretNotice, anExpiryNotice, sqsEvent } from '../../../builders/app-credentials.js';
import { FakeClock } from '../../../builders/clock.js';

const NOW = new Date('2026-06-01T12:00:00.000Z');

function setUp() {
  const status = new InMemoryStatusStore();
  const secret = new InMemoryAppSecret();
  const clock = new FakeClock(NOW);
  const logger = { info: jest.fn(), warn: jest.fn(), error: jest.fn() };
  const handler = makeAppNotificationsHandler({ status, credentials: secret, writer: secret, clock, logger });
  const logged = () => JSON.stringify([logger.info.mock.calls, logger.warn.mock.calls, logger.error.mock.calls]);
  return { status, secret, clock, logger, handler, logged };
}

describe('AppNotifications handler (SQS, ReportBatchItemFailures)', () => {
  it('records an expiry notice: the expiry, its reason and the notification, nothing sent yet', async () => {
    const { handler, status } = setUp();
    const notice = anExpiryNotice({ expiresAt: new Date(NOW.getTime() + 40 * DAY_MS) });

    const result = await handler(sqsEvent(notice));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(status.status).toMatchObject({
      clientSecretExpiresAt: new Date(NOW.getTime() + 40 * DAY_MS),
      expiryReason: 'PERIODIC_ROTATION',
      alertsSent: [],
      lastNotification: { type: 'APPLICATION_OAUTH_CLIENT_SECRET_EXPIRY', notificationId: notice.notificationMetadata.notificationId, receivedAt: NOW },
      version: 1,
    });
  });

  it('a duplicated notification (same notificationId) changes nothing, however often it comes', async () => {
    const { handler, status } = setUp();
    const notice = anExpiryNotice();
    await handler(sqsEvent(notice));
    const after = status.status;

    const result = await handler(sqsEvent(notice, notice));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(status.status).toBe(after);
    expect(status.writes).toBe(1);
  });

  it("another application's client id is ignored and logged, and changes nothing", async () => {
    const { handler, status, secret, logger } = setUp();

    const result = await handler(sqsEvent(anExpiryNotice({ clientId: 'amzn1.application-oa2-client.someone-else' }), aNewSecretNotice({ clientId: 'amzn1.application-oa2-client.someone-else' })));

    expect(result).toEqual({ batchItemFailures: [] });
    expect(status.writes).toBe(0);
    expect(secret.writes).toBe(0);
    expect(logger.warn).toHaveBeenCalledWith('app notification for another application ignored', expect.objectContaining({ outcome: 'foreign-client' }));
  });

  it.each([
    ['not JSON', '{"notificationType":'],
    ['an unknown notification type', JSON.stringify({ ...anExpiryNotice(), notificationType: 'ANY_OFFER_CHANGED' })],
    ['no notificationId', JSON.stringify({ ...anExpiryNotice(), notificationMetadata: {} })],
    ['an expiry that is not a time', JSON.stringify({ ...anExpiryNotice(), payload: { applicationOAuthClientSecretExpiry: { clientId: APP.clientId, clientSecretExpiryTime: 'soon' } } })],
    ['a new secret without its old expiry', JSON.stringify({ ...aNewSecretNotice(), payload: { applicationOAuthClientNewSecret: { clientId: APP.clientId, newClientSecret: NEW_SECRET, newClientSecretExpiryTime: NOW.toISOString() } } })],
  ])('a malformed message (%s) is a batch item failure, so SQS redrives it to the dead-letter queue; nothing changes and its body is not logged', async (_what, body) => {
    const { handler, status, secret, logged } = setUp();
    const good = anExpiryNotice();

    const result = await handler(sqsEvent(body, good));

    expect(result).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
    expect(status.writes).toBe(1);
    expect(secret.writes).toBe(0);
    expect(logged()).not.toContain('MARKER-NEW-SECRET');
  });

  it('a new secret becomes the current one, the old one is kept until its stated expiry, and the status says when it came', async () => {
    const { handler, status, secret } = setUp();
    const oldExpiresAt = new Date(NOW.getTime() + 7 * DAY_MS);
    const notice = aNewSecretNotice({ oldExpiresAt, newExpiresAt: new Date(NOW.getTime() + 180 * DAY_MS) });

    await handler(sqsEvent(notice));

    expect(secret.value).toEqual({ ...APP, clientSecret: NEW_SECRET, previousClientSecret: { value: APP.clientSecret, expiresAt: oldExpiresAt } });
    expect(status.status).toMatchObject({ clientSecretExpiresAt: new Date(NOW.getTime() + 180 * DAY_MS), previousSecretExpiresAt: oldExpiresAt, newSecretReceivedAt: NOW, alertsSent: [] });
  });

  it('the new secret never appears in a log line, the status or the result', async () => {
    const { handler, status, logged, logger } = setUp();
    logger.info.mockImplementation(() => undefined);

    const result = await handler(sqsEvent(aNewSecretNotice(), aNewSecretNotice({ clientId: 'someone-else' }), '{"x": "amzn1.oa2-cs.v1.MARKER-NEW-SECRET"'));

    expect(logged()).not.toContain('MARKER-NEW-SECRET');
    expect(JSON.stringify(status.status)).not.toContain('MARKER-NEW-SECRET');
    expect(JSON.stringify(result)).not.toContain('MARKER-NEW-SECRET');
  });

  it('a duplicated new-secret notice does not rotate twice: the previous secret stays the original one', async () => {
    const { handler, secret } = setUp();
    const notice = aNewSecretNotice();
    await handler(sqsEvent(notice));
    await handler(sqsEvent(notice));

    expect(secret.writes).toBe(1);
    expect(secret.value.previousClientSecret?.value).toBe(APP.clientSecret);
  });

  it('a status write that meets a concurrent writer is retried on a fresh read; a storage failure is a batch item failure (redelivered)', async () => {
    const { handler, status } = setUp();
    status.conflicts = 1;
    expect(await handler(sqsEvent(anExpiryNotice()))).toEqual({ batchItemFailures: [] });

    status.get = async () => {
      throw Object.assign(new Error('down'), { name: 'ProvisionedThroughputExceededException' });
    };
    expect(await handler(sqsEvent(anExpiryNotice()))).toEqual({ batchItemFailures: [{ itemIdentifier: 'msg-0' }] });
  });
});
