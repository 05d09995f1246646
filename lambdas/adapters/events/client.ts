import { EventBridgeClient } from '@aws-sdk/client-eventbridge';
import { AWS_CLIENT_TIMEOUTS, AWS_MAX_ATTEMPTS } from '../aws-timeouts.js';
import { EventBridgePublisher } from './eventbridge-publisher.js';

let publisher: EventBridgePublisher | undefined;

/** The container's publisher to the service bus, built once, with bounded waits (AWS_ENDPOINT_URL_EVENTBRIDGE locally). */
export function eventPublisher(busName: string): EventBridgePublisher {
  publisher ??= new EventBridgePublisher(new EventBridgeClient({ maxAttempts: AWS_MAX_ATTEMPTS, requestHandler: { ...AWS_CLIENT_TIMEOUTS } }), { busName });
  return publisher;
}
