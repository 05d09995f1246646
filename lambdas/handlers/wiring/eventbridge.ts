import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { EventBridgePublisher } from '../../adapters/events/eventbridge-publisher.js';
import { config } from '../../shared/config.js';
import { AWS_MAX_ATTEMPTS, EVENTBRIDGE_TIMEOUTS } from './aws.js';

/** The service bus: its client and the publisher, built once per container (AWS_ENDPOINT_URL_EVENTBRIDGE locally). */

let client: EventBridgeClient | undefined;
export const eventBridgeClient = (): EventBridgeClient => (client ??= new EventBridgeClient({ maxAttempts: AWS_MAX_ATTEMPTS, requestHandler: { ...EVENTBRIDGE_TIMEOUTS } }));

let publisher: EventBridgePublisher | undefined;
export const eventPublisher = (): EventBridgePublisher => (publisher ??= new EventBridgePublisher(eventBridgeClient(), { busName: config().eventBusName }));
