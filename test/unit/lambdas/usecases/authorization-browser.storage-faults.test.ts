import { CALLBACK_URI, SELLING_PARTNER, authHarness, browserEvent, invoke, jwtEvent } from '../../../builders/auth.js';
import { logger } from '../../../../lambdas/shared/logger.js';
import { captureOutput } from '../../../builders/output.js';

/** R10: storage faults on the ticket and Log-in routes answer a plain page, never a stack trace or a redirect carrying our state. */

const output = captureOutput();

describe('R10: storage faults on the ticket and Log-in routes', () => {
  const throttled = () => Object.assign(new Error('Rate of requests exceeds the allowed throughput at Key TICKET#abc'), { name: 'ThrottlingException', stack: 'ThrottlingException: at secret/place.ts:1' });

  it('a throttled ticket redemption answers a plain page: no stack trace, no cookie, no redirect', async () => {
    const h = authHarness({ log: logger });
    const started = await invoke(h.handlers.start, jwtEvent({ marketplace: 'UK' }));
    const ticket = String(JSON.parse(String(started.body)).authorizationUrl).split('/').pop() as string;
    h.store.redeemTicket = async () => {
      throw throttled();
    };
    const res = await invoke(h.handlers.ticket, browserEvent({ ticket }));
    expect(res.statusCode).toBeGreaterThanOrEqual(500);
    expect(res.headers).toMatchObject({ 'content-type': 'text/html; charset=utf-8', 'referrer-policy': 'no-referrer', 'cache-control': 'no-store' });
    expect(String(res.body)).toContain('Something went wrong on our side');
    expect(String(res.body)).not.toMatch(/ThrottlingException|place\.ts|TICKET#/);
    expect(res.cookies).toBeUndefined();
    expect(res.headers?.location).toBeUndefined();
    expect(output.join('')).not.toContain(ticket);
  });

  it('a throttled Log-in step answers a plain page, never a redirect carrying our state', async () => {
    const h = authHarness({ log: logger });
    const { binding } = await h.startFlow('UK');
    h.store.recordLogin = async () => {
      throw throttled();
    };
    const res = await invoke(h.handlers.login, browserEvent({ query: { amazon_callback_uri: CALLBACK_URI, amazon_state: 'amz-1', selling_partner_id: SELLING_PARTNER }, cookie: binding }));
    expect(res.headers?.location).toBeUndefined();
    expect(String(res.body)).not.toMatch(/ThrottlingException|place\.ts/);
    expect(output.join('')).not.toContain(binding);
  });
});
