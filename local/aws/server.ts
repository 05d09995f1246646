import { type Server, createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Clock } from '../../lambdas/ports/clock.js';
import { EventBridgeStandIn } from './eventbridge.js';
import { jsonProtocolListener } from './protocol.js';
import { SecretsManagerStandIn } from './secrets-manager.js';
import { SqsStandIn } from './sqs.js';
import { LOOPBACK_ADDRESS, loopbackUrl } from '../../lambdas/shared/loopback.js';

/**
 * One loopback server for the AWS stand-ins. Secrets Manager and EventBridge both speak
 * JSON 1.1 and differ by `x-amz-target`, so `AWS_ENDPOINT_URL_SECRETS_MANAGER` and
 * `AWS_ENDPOINT_URL_EVENTBRIDGE` both point here.
 */

export interface AwsStandIns {
  readonly endpoint: string;
  readonly secretsManager: SecretsManagerStandIn;
  readonly eventBridge: EventBridgeStandIn;
  /** SQS (JSON 1.0, `AWS_ENDPOINT_URL_SQS`): the app-notification queues. */
  readonly sqs: SqsStandIn;
  stop(): Promise<void>;
}

export interface AwsStandInsOptions {
  readonly clock: Clock;
  readonly region: string;
  readonly busNames: readonly string[];
  /** Where secrets are kept; omit for memory only. */
  readonly secretsFile?: string;
  /** 0 or omitted: a free port. */
  readonly port?: number;
  readonly log?: (line: string) => void;
}

export async function startAwsStandIns(options: AwsStandInsOptions): Promise<AwsStandIns> {
  const secretsManager = new SecretsManagerStandIn({ clock: options.clock, region: options.region, file: options.secretsFile });
  const eventBridge = new EventBridgeStandIn({ clock: options.clock, busNames: options.busNames });
  let endpoint = '';
  const sqs = new SqsStandIn({ clock: options.clock, region: options.region, endpoint: () => endpoint });
  const listener = jsonProtocolListener([secretsManager.service(), eventBridge.service(), sqs.service()], options.log);
  const server = createServer((req, res) => void listener(req, res));
  const port = await listen(server, options.port ?? 0);
  endpoint = loopbackUrl(port);
  return {
    endpoint,
    secretsManager,
    eventBridge,
    sqs,
    stop: () => closeServer(server),
  };
}

/** Listens on loopback only; rejects with the listen error (EADDRINUSE) instead of throwing later. */
export function listen(server: Server, port: number): Promise<number> {
  return new Promise((resolve, reject) => {
    const onError = (error: Error) => reject(error);
    server.once('error', onError);
    server.listen(port, LOOPBACK_ADDRESS, () => {
      server.off('error', onError);
      resolve((server.address() as AddressInfo).port);
    });
  });
}

export function closeServer(server: Server): Promise<void> {
  return new Promise((resolve) => {
    if (!server.listening) return resolve();
    server.close(() => resolve());
    server.closeAllConnections();
  });
}
