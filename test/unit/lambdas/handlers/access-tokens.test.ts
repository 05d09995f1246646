import type { APIGatewayProxyEventV2 } from 'aws-lambda';
import { makeAccessTokensHandler, roleOf } from '../../../../lambdas/handlers/access-tokens.js';
import { AccessTokenCache, type AccessTokenDeps } from '../../../../lambdas/usecases/access-tokens.js';
import { AUTH_NOW } from '../../../builders/auth.js';
import { FakeClock } from '../../../builders/clock.js';
import { RecordingLog } from '../../../builders/log.js';
import { RecordingPublisher } from '../../../builders/publisher.js';
import { aJwtRequest, aLambdaContext } from '../../../builders/requests.js';
import { SecretsManagerLike } from '../../../builders/secrets.js';
import { InMemoryTokenGrants } from '../../../builders/tokens.js';

/** The internal token route's own part: who may call it and what body it takes (the vending itself: test/suites/access-tokens.ts). */

const CALLER_ROLE = 'arn:aws:iam::123456789012:role/services/order-sync';
const CALLER_SESSION = 'arn:aws:sts::123456789012:assumed-role/order-sync/session-1';

function setUp() {
  const lwaCalls: string[] = [];
  const tokens: AccessTokenDeps = {
    grants: new InMemoryTokenGrants(),
    secrets: new SecretsManagerLike(),
    lwa: { refresh: async (token) => (lwaCalls.push(token), Promise.reject(new Error('not reached'))) },
    events: new RecordingPublisher(),
    clock: new FakeClock(AUTH_NOW),
    log: new RecordingLog(),
    cache: new AccessTokenCache(),
    spApiEndpoint: (region) => `https://sellingpartnerapi-${region.toLowerCase()}.amazon.com`,
  };
  const handler = makeAccessTokensHandler({ tokens, allowedRoleArns: [CALLER_ROLE] });
  const call = async (body: unknown, userArn: string | null = CALLER_SESSION) => {
    const event = aJwtRequest({ method: 'POST', path: '/internal/v1/amazon/access-tokens', body, claims: null }) as unknown as APIGatewayProxyEventV2;
    if (userArn !== null) (event.requestContext as unknown as { authorizer: unknown }).authorizer = { iam: { userArn } };
    const result = (await handler(event, aLambdaContext())) as { statusCode: number; body: string };
    return { status: result.statusCode, json: JSON.parse(result.body) as { error?: { code: string; message: string; details?: unknown } } };
  };
  return { call, lwaCalls };
}

it('reduces a session ARN and a role ARN with a path to the same account and role name', () => {
  expect(roleOf(CALLER_SESSION)).toBe('123456789012|order-sync');
  expect(roleOf(CALLER_ROLE)).toBe('123456789012|order-sync');
  expect(roleOf('arn:aws:iam::123456789012:user/order-sync')).toBeNull();
});

it.each([
  ['no IAM identity', null],
  ['another role', 'arn:aws:sts::123456789012:assumed-role/reporting/session-1'],
  ['the same role name in another account', 'arn:aws:sts::210987654321:assumed-role/order-sync/session-1'],
])('%s: 403 CALLER_NOT_ALLOWED, before the body is read', async (_who, arn) => {
  const { call } = setUp();
  expect(await call('not even json', arn)).toMatchObject({ status: 403, json: { error: { code: 'CALLER_NOT_ALLOWED' } } });
});

it('an allowed caller with a good body reaches the vending: 404 NO_AUTHORIZATION for a venue never authorized, in any letter case', async () => {
  const { call, lwaCalls } = setUp();
  expect(await call({ accountId: 'acct-123', marketplace: 'uk' })).toMatchObject({ status: 404, json: { error: { code: 'NO_AUTHORIZATION' } } });
  expect(lwaCalls).toEqual([]);
});

it.each([
  ['no body', undefined, 'body'],
  ['not JSON', '{"accountId":', 'body'],
  ['a list', '[{"accountId":"acct-123","marketplace":"UK"}]', 'body'],
  ['no marketplace', { accountId: 'acct-123' }, 'marketplace'],
  ['an unknown marketplace', { accountId: 'acct-123', marketplace: 'XX' }, 'marketplace'],
  ['an account id with other characters', { accountId: 'acct 123/../x', marketplace: 'UK' }, 'accountId'],
  ['an account id of 129 characters', { accountId: 'a'.repeat(129), marketplace: 'UK' }, 'accountId'],
  ['a number for the account', { accountId: 123, marketplace: 'UK' }, 'accountId'],
  ['a field more', { accountId: 'acct-123', marketplace: 'UK', refreshToken: 'Atzr|MARKER-ASKED' }, 'refreshToken'],
])('%s: 400 VALIDATION_FAILED, saying where, never repeating a value', async (_what, body, where) => {
  const { call, lwaCalls } = setUp();
  const answer = await call(body);
  expect(answer).toMatchObject({ status: 400, json: { error: { code: 'VALIDATION_FAILED' } } });
  expect(answer.json.error!.message).toContain(where);
  expect(JSON.stringify(answer.json)).not.toMatch(/MARKER|acct 123|\.\.\//);
  expect(lwaCalls).toEqual([]);
});
