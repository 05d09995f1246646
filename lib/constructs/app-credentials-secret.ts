import { RemovalPolicy, SecretValue, Validations } from 'aws-cdk-lib';
import type { IKey } from 'aws-cdk-lib/aws-kms';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import { Construct } from 'constructs';

/** The JSON shape ops fill in; the functions parse exactly these keys. */
export const APP_CREDENTIALS_TEMPLATE = '{"clientId":"","clientSecret":"","applicationId":""}';

export interface AppCredentialsSecretProps {
  readonly secretName: string;
  readonly encryptionKey: IKey;
}

/**
 * The LWA app credentials (client id, client secret, SP-API application id) in one secret under
 * the stage's customer key. The stack creates it with empty values only: the real ones never
 * pass through CDK, CloudFormation or git. Ops write them once with `put-secret-value`; the
 * template string below must never change, or CloudFormation would write the empty values back.
 */
export class AppCredentialsSecret extends Construct {
  readonly secret: Secret;

  constructor(scope: Construct, id: string, props: AppCredentialsSecretProps) {
    super(scope, id);
    this.secret = new Secret(this, 'Secret', {
      secretName: props.secretName,
      description: 'LWA app credentials of AoB Amazon Connect (JSON: clientId, clientSecret, applicationId). Filled in by ops, see docs/deploy.md.',
      encryptionKey: props.encryptionKey,
      // Empty placeholders, no secret material: the values are written out of band.
      secretStringValue: SecretValue.unsafePlainText(APP_CREDENTIALS_TEMPLATE),
      removalPolicy: RemovalPolicy.RETAIN,
    });
    Validations.of(this.secret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason:
        "The LWA client secret is rotated by Amazon, not by a Secrets Manager rotation Lambda: rotateApplicationClientSecret is called by the sweep (or on-call's CLI) and Amazon delivers the new secret to the notification queue, whose handler writes it here (docs/deploy.md step 7)."
    });
  }
}
