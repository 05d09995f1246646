import { ArnFormat, Duration, Stack, Validations } from 'aws-cdk-lib';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import { CfnStage, CorsHttpMethod, HttpApi, HttpMethod, HttpStage, LogGroupLogDestination } from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpIamAuthorizer, HttpJwtAuthorizer } from 'aws-cdk-lib/aws-apigatewayv2-authorizers';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import type { IFunction } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, type RetentionDays } from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import type { FunctionSpec } from '../../lambdas/functions.js';

/**
 * Access-log fields. Only ids, the route template, outcome and timing: never `$context.path`
 * (the ticket sits in a path), never a query string (state, code, amazon_state) and never a
 * header (Authorization, Cookie, User-Agent).
 */
export const ACCESS_LOG_FIELDS = {
  requestId: '$context.requestId',
  requestTime: '$context.requestTimeEpoch',
  routeKey: '$context.routeKey',
  status: '$context.status',
  protocol: '$context.protocol',
  responseLength: '$context.responseLength',
  responseLatency: '$context.responseLatency',
  integrationLatency: '$context.integrationLatency',
  integrationStatus: '$context.integrationStatus',
  integrationError: '$context.integrationErrorMessage',
  authorizerError: '$context.authorizer.error',
  error: '$context.error.message',
  ip: '$context.identity.sourceIp',
} as const;

export interface ServiceApiProps {
  readonly apiName: string;
  readonly jwt: { readonly issuer: string; readonly audience: readonly string[] };
  /** The one origin allowed by CORS; no CORS at all without it. */
  readonly frontendOrigin?: string | undefined;
  readonly throttling: { readonly rateLimit: number; readonly burstLimit: number; readonly browserRateLimit: number; readonly browserBurstLimit: number };
  readonly logRetention: RetentionDays;
}

/**
 * The HTTP API (API Gateway v2): one `$default` stage with throttling and JSON access logs, a
 * JWT authorizer for the frontend's routes and public routes for the browser hops Amazon drives
 * (ticket, Log-in URI, Redirect URI) and the OpenAPI document. The browser routes get their own,
 * tighter throttle: they are reachable by anyone and the callback fronts the LWA code exchange.
 */
export class ServiceApi extends Construct {
  readonly api: HttpApi;
  readonly stage: HttpStage;
  readonly accessLogs: LogGroup;
  private readonly authorizer: HttpJwtAuthorizer;
  private readonly iamAuthorizer = new HttpIamAuthorizer();
  private readonly browserRouteKeys: string[] = [];
  /** `execute-api:Invoke` ARNs of the AWS_IAM routes, for the callers' role policies. */
  readonly iamRouteArns: string[] = [];

  constructor(scope: Construct, id: string, private readonly props: ServiceApiProps) {
    super(scope, id);
    this.api = new HttpApi(this, 'Api', {
      apiName: props.apiName,
      description: 'AoB Amazon Connect: Amazon SP-API authorization and venue status',
      createDefaultStage: false,
      ...(props.frontendOrigin
        ? {
            corsPreflight: {
              allowOrigins: [props.frontendOrigin],
              allowMethods: [CorsHttpMethod.GET, CorsHttpMethod.POST, CorsHttpMethod.PUT, CorsHttpMethod.DELETE],
              allowHeaders: ['authorization', 'content-type'],
              // Bearer tokens, not cookies: the frontend never needs credentialed CORS.
              allowCredentials: false,
              maxAge: Duration.hours(1),
            },
          }
        : {}),
    });

    this.accessLogs = new LogGroup(this, 'AccessLogs', { retention: props.logRetention });
    this.stage = new HttpStage(this, 'DefaultStage', {
      httpApi: this.api,
      stageName: '$default',
      autoDeploy: true,
      throttle: { rateLimit: props.throttling.rateLimit, burstLimit: props.throttling.burstLimit },
      accessLogSettings: {
        destination: new LogGroupLogDestination(this.accessLogs),
        format: AccessLogFormat.custom(JSON.stringify(ACCESS_LOG_FIELDS)),
      },
    });

    this.authorizer = new HttpJwtAuthorizer('Jwt', props.jwt.issuer, {
      authorizerName: 'frontend-jwt',
      jwtAudience: [...props.jwt.audience],
      identitySource: ['$request.header.Authorization'],
    });
  }

  /** The API's base URL (no trailing slash): the functions' API_BASE_URL and the Amazon URIs' root. */
  get url(): string {
    return this.api.apiEndpoint;
  }

  /** Adds the manifest route of a function: JWT routes behind the authorizer, public ones without. */
  addRoute(spec: FunctionSpec & { readonly route: NonNullable<FunctionSpec['route']> }, fn: IFunction): void {
    const integration = new HttpLambdaIntegration(`${spec.id}Integration`, fn);
    const [route] = this.api.addRoutes({
      path: spec.route.path,
      methods: [HttpMethod[spec.route.method]],
      integration,
      ...(spec.route.auth === 'jwt' ? { authorizer: this.authorizer } : {}),
      // AoB's own services: SigV4-signed, no JWT; an unsigned or JWT call gets API Gateway's 403.
      ...(spec.route.auth === 'iam' ? { authorizer: this.iamAuthorizer } : {}),
    });
    if (spec.route.auth === 'iam' && route) {
      this.iamRouteArns.push(
        Stack.of(this).formatArn({ service: 'execute-api', resource: this.api.apiId, resourceName: `$default/${spec.route.method}${spec.route.path}`, arnFormat: ArnFormat.SLASH_RESOURCE_NAME }),
      );
    }
    if (spec.route.auth === 'public' && route) {
      this.browserRouteKeys.push(`${spec.route.method} ${spec.route.path}`);
      Validations.of(route).acknowledge({
        id: 'AwsSolutions-APIG4',
        reason: publicRouteReason(spec.route.path),
      });
    }
    const cfnStage = this.stage.node.defaultChild as CfnStage;
    cfnStage.routeSettings = Object.fromEntries(
      this.browserRouteKeys.map((key) => [key, { throttlingRateLimit: this.props.throttling.browserRateLimit, throttlingBurstLimit: this.props.throttling.browserBurstLimit }]),
    );
  }
}

function publicRouteReason(path: string): string {
  if (path.endsWith('/openapi.json')) return 'The OpenAPI document describes the public contract only; it holds no customer data.';
  return 'A browser hop driven by Amazon or by a one-time link (ticket, Log-in URI, Redirect URI): no Authorization header can be attached; the one-time state/ticket plus the browser-binding cookie authenticate it, checked before any other work.';
}
