import { mockClient } from 'aws-sdk-client-mock';
import { appCredentials } from '../../../../../lambdas/handlers/wiring/app-credentials.js';
import { documentClient } from '../../../../../lambdas/handlers/wiring/dynamodb.js';
import { eventBridgeClient } from '../../../../../lambdas/handlers/wiring/eventbridge.js';
import { completionLwaClient } from '../../../../../lambdas/handlers/wiring/lwa.js';
import { grantSecretStore, secretsManagerClient } from '../../../../../lambdas/handlers/wiring/secrets-manager.js';
import { sellersClient } from '../../../../../lambdas/handlers/wiring/sellers-api.js';
import { APP } from '../../../../builders/auth.js';

/**
 * R1: the waits of the clients the functions are wired with: the completion's waits on Amazon fit
 * its 29 s with room for the AWS writes, and no AWS client can hold a function past API Gateway's 29 s.
 */

/**
 * The connection and request timeouts an AWS client's HTTP handler resolved, through its public
 * API: a request whose signal is already aborted makes the handler resolve its configuration,
 * and sends nothing.
 */
async function httpTimeoutsOf(client: { config: { requestHandler: unknown } }): Promise<{ connectionTimeout?: number; requestTimeout?: number }> {
  const handler = client.config.requestHandler as {
    handle(request: unknown, options: { abortSignal: AbortSignal }): Promise<unknown>;
    httpHandlerConfigs(): { connectionTimeout?: number; requestTimeout?: number };
  };
  await handler.handle({ protocol: 'https:', hostname: 'localhost', method: 'GET', path: '/', headers: {} }, { abortSignal: AbortSignal.abort() }).catch(() => undefined);
  const { connectionTimeout, requestTimeout } = handler.httpHandlerConfigs();
  return { connectionTimeout, requestTimeout };
}

it('R1: the completion\'s waits on Amazon fit its 29 s with room for the state, secret and grant writes, even on the invalid_client resend', async () => {
  // The clients the CompleteAuthorization and AuthorizeTicket functions are wired with.
  const lwa = completionLwaClient();
  const sellers = sellersClient();
  const amazonWorstCase = 2 * lwa.timeoutMs + (sellers.options.timeoutMs ?? Number.POSITIVE_INFINITY);
  expect(amazonWorstCase).toBeLessThanOrEqual(17_000);
  const aws = await httpTimeoutsOf(secretsManagerClient());
  expect(aws.requestTimeout).toBeLessThanOrEqual(3000);
  expect(aws.connectionTimeout).toBeLessThanOrEqual(1000);
  // The completion's grant secrets and the ticket route's app secret go through that client: the same bounds.
  const sm = mockClient(secretsManagerClient());
  sm.onAnyCommand().resolves({ SecretString: JSON.stringify(APP) });
  await grantSecretStore().scheduleDeletion('aob-amazon-connect/test/grants/x');
  await appCredentials().reload();
  expect(sm.calls().map((c) => c.args[0].constructor.name)).toEqual(['DeleteSecretCommand', 'GetSecretValueCommand']);
  sm.restore();
});

it('every AWS client the functions are wired with gives up within 3 × (1 s + 5 s): a dead connection cannot hold a function past API Gateway\'s 29 s', async () => {
  for (const client of [documentClient(), secretsManagerClient(), eventBridgeClient()]) {
    const { connectionTimeout, requestTimeout } = await httpTimeoutsOf(client);
    expect(connectionTimeout).toBeLessThanOrEqual(1000);
    expect(requestTimeout).toBeLessThanOrEqual(5000);
    expect(await client.config.maxAttempts()).toBe(3);
  }
});
