import { Duration, RemovalPolicy } from 'aws-cdk-lib';
import { EventField, type IEventBus, Rule, RuleTargetInput } from 'aws-cdk-lib/aws-events';
import { SnsTopic } from 'aws-cdk-lib/aws-events-targets';
import { ServicePrincipal } from 'aws-cdk-lib/aws-iam';
import { Key } from 'aws-cdk-lib/aws-kms';
import { Topic } from 'aws-cdk-lib/aws-sns';
import { EmailSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';
import { APP_DETAIL_TYPES } from '../../lambdas/domain/app-credentials.js';
import { DETAIL_TYPES, EVENT_SOURCE } from '../../lambdas/domain/events.js';

export interface OnCallProps {
  readonly stage: string;
  readonly topicName: string;
  readonly eventBus: IEventBus;
  /** The most urgent configured expiry warning (e.g. `1d`): earlier ones are for the frontend, not a pager. */
  readonly pageThreshold: string;
  readonly email?: string | undefined;
  readonly deadLetterQueue: IQueue;
}

/** How long EventBridge keeps trying to hand a page to SNS before parking it in the dead-letter queue. */
export const PAGE_RETRY = { retryAttempts: 20, maxEventAge: Duration.hours(6) } as const;

/**
 * The on-call channel: a KMS-encrypted, TLS-only SNS topic (with an optional email subscription)
 * that receives every alarm and the authorization events someone has to act on: expiring within
 * the last warning threshold, expired, revoked, and every warning that the app's client secret
 * expires. Each event arrives as a readable sentence that says what happened, what on-call does
 * (contact the seller, rotate, check Amazon's status) and the `npm run ops` command to look closer.
 */
export class OnCall extends Construct {
  readonly topic: Topic;
  readonly key: Key;
  readonly rules: Rule[] = [];

  constructor(scope: Construct, id: string, props: OnCallProps) {
    super(scope, id);
    this.key = new Key(this, 'Key', {
      description: `AoB Amazon Connect (${props.stage}): encrypts on-call notifications in transit through SNS`,
      enableKeyRotation: true,
      // Holds no data at rest (SNS keeps nothing once delivered): deleting the stack schedules it for deletion, recoverable for 30 days.
      removalPolicy: RemovalPolicy.DESTROY,
      pendingWindow: Duration.days(30),
    });
    // Alarms publish to the encrypted topic as CloudWatch; EventBridge's own grant comes with the rule targets.
    this.key.grant(new ServicePrincipal('cloudwatch.amazonaws.com'), 'kms:Decrypt', 'kms:GenerateDataKey');

    this.topic = new Topic(this, 'Topic', {
      topicName: props.topicName,
      displayName: `AoB Amazon Connect ${props.stage}`,
      masterKey: this.key,
      enforceSSL: true,
    });
    if (props.email) this.topic.addSubscription(new EmailSubscription(props.email, { deadLetterQueue: props.deadLetterQueue }));

    const who = `AoB account ${EventField.fromPath('$.detail.accountId')}, Amazon ${EventField.fromPath('$.detail.region')} selling partner ${EventField.fromPath('$.detail.sellingPartnerId')}`;
    const ids = `Event ${EventField.fromPath('$.detail.eventId')} (stage ${props.stage}).`;
    const ops = (command: string) => `npm run ops -- ${command} --stage ${props.stage}`;
    const venues = ops(`venues --account ${EventField.fromPath('$.detail.accountId')}`);
    this.page('ExpiringRule', props, { 'detail-type': [DETAIL_TYPES.expiring], detail: { threshold: [props.pageThreshold] } }, [
      `The Amazon authorization of ${who} expires at ${EventField.fromPath('$.detail.expiresAt')} (${EventField.fromPath('$.detail.hoursRemaining')} hours left).`,
      'Action: contact the seller; they must re-authorize before then: AoB Settings > Venue Settings > Amazon > Authorize, or Seller Central > Apps and Services > Manage Your Apps > Re-Authorize.',
      `Look closer: ${venues}; every grant close to expiry: ${ops('grants --expiring-within 2d')}.`,
      ids,
    ]);
    this.page('ExpiredRule', props, { 'detail-type': [DETAIL_TYPES.expired] }, [
      `The Amazon authorization of ${who} expired at ${EventField.fromPath('$.detail.expiresAt')}. AoB can no longer call Amazon for these marketplaces.`,
      'Action: contact the seller; they must authorize again: AoB Settings > Venue Settings > Amazon > Authorize.',
      `Look closer: ${venues}.`,
      ids,
    ]);
    this.page('RevokedRule', props, { 'detail-type': [DETAIL_TYPES.revoked] }, [
      `The Amazon authorization of ${who} was revoked on Amazon (refresh answered invalid_grant) at ${EventField.fromPath('$.detail.revokedAt')}.`,
      "Action: contact the seller; they removed the app or Amazon withdrew the grant, and must authorize again from AoB Settings > Venue Settings > Amazon. If many sellers are revoked at once, check Amazon's status (SP-API status page) before contacting anyone.",
      `Look closer: ${venues}; ask Amazon again for one venue: ${ops(`check --account ${EventField.fromPath('$.detail.accountId')} --marketplace MARKETPLACE`)} (the venue's code, e.g. UK).`,
      ids,
    ]);
    this.page('AppCredentialsExpiringRule', props, { 'detail-type': [APP_DETAIL_TYPES.credentialsExpiring] }, [
      `The LWA client secret of the AoB Amazon app (stage ${props.stage}) expires at ${EventField.fromPath('$.detail.clientSecretExpiresAt')} (${EventField.fromPath('$.detail.daysRemaining')} days left, warning ${EventField.fromPath('$.detail.threshold')}). When it lapses every seller's calls fail at once.`,
      `Action: rotate: ${ops('rotate-client-secret')} (automatic rotation on: ${EventField.fromPath('$.detail.autoRotation')}; a rotation already waiting for its new secret: ${EventField.fromPath('$.detail.rotationPending')}). If Amazon refuses or no new secret arrives, check Amazon's status and the Developer Console notification setting (docs/deploy.md step 7).`,
      `Look closer: ${ops('app-credentials')}.`,
      `Event ${EventField.fromPath('$.detail.eventId')} (stage ${props.stage}).`,
    ]);
  }

  private page(id: string, props: OnCallProps, pattern: { 'detail-type': string[]; detail?: Record<string, string[]> }, lines: string[]): void {
    const rule = new Rule(this, id, {
      eventBus: props.eventBus,
      description: `Pages on-call: ${pattern['detail-type'].join(', ')}${pattern.detail ? ` (${JSON.stringify(pattern.detail)})` : ''}`,
      eventPattern: { source: [EVENT_SOURCE], detailType: pattern['detail-type'], ...(pattern.detail ? { detail: pattern.detail } : {}) },
    });
    rule.addTarget(new SnsTopic(this.topic, { message: RuleTargetInput.fromText(lines.join(' ')), ...PAGE_RETRY, deadLetterQueue: props.deadLetterQueue }));
    this.rules.push(rule);
  }
}
