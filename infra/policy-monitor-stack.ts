/**
 * The policy monitor, top-down in the order it runs (DESIGN §1): storage, the schedule and
 * scheduler that queue due policies, the check worker, the API, then the alarms that watch
 * them. Each function is followed at once by what it may touch.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CfnOutput, Duration, Stack, Validations, type StackProps } from 'aws-cdk-lib';
import * as apigateway from 'aws-cdk-lib/aws-apigateway';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { SnsAction } from 'aws-cdk-lib/aws-cloudwatch-actions';
import * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as events from 'aws-cdk-lib/aws-events';
import * as iam from 'aws-cdk-lib/aws-iam';
import { LambdaFunction } from 'aws-cdk-lib/aws-events-targets';
import { SqsEventSource } from 'aws-cdk-lib/aws-lambda-event-sources';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import * as s3 from 'aws-cdk-lib/aws-s3';
import { Secret } from 'aws-cdk-lib/aws-secretsmanager';
import * as ses from 'aws-cdk-lib/aws-ses';
import * as sns from 'aws-cdk-lib/aws-sns';
import { EmailSubscription, LambdaSubscription } from 'aws-cdk-lib/aws-sns-subscriptions';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';
import { MonitorFunction } from './monitor-function.ts';
import type { MonitorSettings } from './settings.ts';

const REPOSITORY_ROOT = fileURLToPath(new URL('..', import.meta.url));

/**
 * A check fetches, diffs and mails a batch of up to five policies, each fetch time-capped. A
 * new material change is fetched a second time a minute later (CONFIRM_DELAY_SECONDS), and
 * each fetch may take up to about 80 s with its retries: 4 minutes leaves room for both.
 */
const CHECK_TIMEOUT = Duration.minutes(4);
/** API Gateway gives up on a Lambda integration after 29 s; running longer is wasted. */
const API_TIMEOUT = Duration.seconds(29);
const API_STAGE = 'v1';

export interface PolicyMonitorStackProps extends StackProps, MonitorSettings {
  /**
   * Directory holding `functions/handlers/{scheduler,check,api}.ts` and the `node_modules` they
   * bundle from; tests point this at a temporary directory with stub handlers.
   * @default the repository root
   */
  readonly projectRoot?: string;
}

export class PolicyMonitorStack extends Stack {
  constructor(scope: Construct, id: string, props: PolicyMonitorStackProps) {
    super(scope, id, props);
    const projectRoot = path.resolve(props.projectRoot ?? REPOSITORY_ROOT);
    const handlerCode = (name: 'scheduler' | 'digest' | 'check' | 'api' | 'ses-feedback') => ({
      entry: path.join(projectRoot, 'functions', 'handlers', `${name}.ts`),
      projectRoot,
    });

    // ── Storage ────────────────────────────────────────────────────────────────

    const snapshotAccessLogs = new s3.Bucket(this, 'snapshot-access-logs', {
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      lifecycleRules: [{ expiration: Duration.days(365) }],
    });

    // Raw and normalized snapshots, content-addressed: an unchanged fetch writes nothing.
    const snapshotBucket = new s3.Bucket(this, 'snapshot-bucket', {
      versioned: true,
      blockPublicAccess: s3.BlockPublicAccess.BLOCK_ALL,
      encryption: s3.BucketEncryption.S3_MANAGED,
      enforceSSL: true,
      serverAccessLogsBucket: snapshotAccessLogs,
      serverAccessLogsPrefix: 'snapshot-bucket/',
    });

    // Key schemas mirror functions/adapters/dynamo-store.ts, which creates the same tables locally.
    const policiesTable = recordTable(this, 'policies-table', { partitionKey: stringKey('policyId') });
    const snapshotsTable = recordTable(this, 'snapshots-table', { partitionKey: stringKey('policyId'), sortKey: stringKey('sk') });
    const checksTable = recordTable(this, 'checks-table', { partitionKey: stringKey('policyId'), sortKey: stringKey('checkedAt') });
    const changesTable = recordTable(this, 'changes-table', { partitionKey: stringKey('changeId') });
    changesTable.addGlobalSecondaryIndex({ indexName: 'byPolicy', partitionKey: stringKey('policyId'), sortKey: stringKey('detectedAt') });
    const subscriptionsTable = recordTable(this, 'subscriptions-table', { partitionKey: stringKey('subscriptionId') });
    subscriptionsTable.addGlobalSecondaryIndex({ indexName: 'byEmail', partitionKey: stringKey('email') });
    // One item per (change, subscriber) makes sending idempotent; TTL clears old claims.
    const notificationsTable = recordTable(this, 'notifications-table', { partitionKey: stringKey('notificationKey'), timeToLiveAttribute: 'expiresAt' });
    const storageNames = {
      POLICIES_TABLE: policiesTable.tableName,
      SNAPSHOTS_TABLE: snapshotsTable.tableName,
      CHECKS_TABLE: checksTable.tableName,
      CHANGES_TABLE: changesTable.tableName,
      SUBSCRIPTIONS_TABLE: subscriptionsTable.tableName,
      NOTIFICATIONS_TABLE: notificationsTable.tableName,
      SNAPSHOT_BUCKET: snapshotBucket.bucketName,
    };

    // ── Subscribers: mail identity and the key that signs their links ──────────

    // Bounces and complaints come back through this topic; an address that bounced for good or
    // complained gets no more mail (functions/app/suppress.ts), which keeps the SES account in good standing.
    const sesFeedbackTopic = new sns.Topic(this, 'ses-feedback-topic', { displayName: 'SES bounces and complaints', enforceSSL: true });
    const mailConfiguration = new ses.ConfigurationSet(this, 'mail-configuration-set', {});
    mailConfiguration.addEventDestination('bounces-and-complaints', {
      destination: ses.EventDestination.snsTopic(sesFeedbackTopic),
      events: [ses.EmailSendingEvent.BOUNCE, ses.EmailSendingEvent.COMPLAINT],
    });

    // SES mails a verification link to this address on first deploy; nothing sends until it is clicked.
    // The configuration set is the identity's default, so every send publishes its feedback.
    const senderIdentity = new ses.EmailIdentity(this, 'sender-identity', {
      identity: ses.Identity.email(props.senderEmail),
      configurationSet: mailConfiguration,
    });

    // A send through a configuration set is authorised against the set too, not the identity alone.
    const sendThroughMailConfiguration = new iam.PolicyStatement({
      actions: ['ses:SendEmail', 'ses:SendRawEmail'],
      resources: [this.formatArn({ service: 'ses', resource: 'configuration-set', resourceName: mailConfiguration.configurationSetName })],
    });

    const sesFeedbackFn = new MonitorFunction(this, 'ses-feedback-fn', {
      ...handlerCode('ses-feedback'),
      description: 'Suppresses addresses that bounced for good or complained',
      timeout: Duration.seconds(30),
    })
      .addNamesWithoutAccess(storageNames)
      .bindTable(subscriptionsTable, 'SUBSCRIPTIONS_TABLE', 'readWrite');
    sesFeedbackTopic.addSubscription(new LambdaSubscription(sesFeedbackFn));

    const unsubscribeSigningSecret = new Secret(this, 'unsubscribe-signing-secret', {
      description: 'HMAC key that signs the subscription-confirm and one-click unsubscribe links in emails',
      generateSecretString: { passwordLength: 64, excludePunctuation: true },
    });
    Validations.of(unsubscribeSigningSecret).acknowledge({
      id: 'AwsSolutions-SMG4',
      reason: 'Rotating the signing key would break every unsubscribe link already mailed (RFC 8058 links must keep working); rotate by hand with an overlap period.',
    });

    // ── Schedule → scheduler → check queue ─────────────────────────────────────

    const checkDeadLetterQueue = new sqs.Queue(this, 'check-dead-letter-queue', {
      retentionPeriod: Duration.days(14),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
    });
    const checkQueue = new sqs.Queue(this, 'check-queue', {
      // AWS's guidance for SQS-triggered functions: at least 6× the function timeout, so a
      // message is not redelivered while the poller is still retrying its batch.
      visibilityTimeout: Duration.seconds(CHECK_TIMEOUT.toSeconds() * 6),
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      // Three tries, then a policy that keeps failing waits in the DLQ (and raises the alarm below).
      deadLetterQueue: { queue: checkDeadLetterQueue, maxReceiveCount: 3 },
    });

    const schedulerFn = new MonitorFunction(this, 'scheduler-fn', {
      ...handlerCode('scheduler'),
      description: 'Queues one check message per policy that is due',
      timeout: Duration.minutes(1),
    })
      .addNamesWithoutAccess(storageNames)
      .bindTable(policiesTable, 'POLICIES_TABLE', 'read')
      .bindQueueSender(checkQueue, 'CHECK_QUEUE_URL');

    // The daily digest (functions/app/digest.ts) is its own function, so the scheduler that runs
    // twice a day can neither send mail nor read the link secret: the day's changes, the daily
    // subscribers, the notification log that makes each digest go out once, and the mail sender.
    const digestFn = new MonitorFunction(this, 'digest-fn', {
      ...handlerCode('digest'),
      description: 'Mails the daily digests to subscribers who chose delivery "daily"',
      timeout: Duration.minutes(5),
    })
      .addNamesWithoutAccess(storageNames)
      .bindTable(policiesTable, 'POLICIES_TABLE', 'read')
      .bindTable(changesTable, 'CHANGES_TABLE', 'read')
      .bindTable(subscriptionsTable, 'SUBSCRIPTIONS_TABLE', 'read')
      .bindTable(notificationsTable, 'NOTIFICATIONS_TABLE', 'readWrite')
      .bindEmailSender(senderIdentity, 'SENDER_EMAIL')
      .bindSecret(unsubscribeSigningSecret, 'UNSUBSCRIBE_SECRET_PARAM');
    digestFn.addToRolePolicy(sendThroughMailConfiguration);

    // EventBridge evaluates cron expressions in UTC: the default "cron(0 6,18 * * ? *)" runs
    // at 06:00 and 18:00 UTC, whatever the region's local time.
    new events.Rule(this, 'check-schedule', {
      description: 'Starts a sweep of all tracked policies',
      schedule: events.Schedule.expression(props.schedule),
      targets: [new LambdaFunction(schedulerFn, { retryAttempts: 2 })],
    });

    // Daily at 07:00 UTC (EventBridge cron is UTC), an hour after the default morning sweep, the
    // digest function mails the digests of the last 24 hours. A retry sends only what is not sent yet.
    new events.Rule(this, 'digest-schedule', {
      description: 'Mails the daily digests to subscribers who chose delivery "daily"',
      schedule: events.Schedule.cron({ minute: '0', hour: '7' }),
      targets: [new LambdaFunction(digestFn, { retryAttempts: 2 })],
    });

    // ── Check worker: fetch → diff → store → notify ────────────────────────────

    const checkFn = new MonitorFunction(this, 'check-fn', {
      ...handlerCode('check'),
      description: 'Fetches, diffs and stores due policies, and mails subscribers about material changes',
      timeout: CHECK_TIMEOUT,
      // Parsing and diffing whole policies is CPU-bound, and Lambda's CPU grows with memory.
      memorySize: 1024,
    })
      .bindTable(policiesTable, 'POLICIES_TABLE', 'readWrite')
      .bindTable(snapshotsTable, 'SNAPSHOTS_TABLE', 'readWrite')
      .bindTable(checksTable, 'CHECKS_TABLE', 'readWrite')
      .bindTable(changesTable, 'CHANGES_TABLE', 'readWrite')
      .bindTable(subscriptionsTable, 'SUBSCRIPTIONS_TABLE', 'read')
      .bindTable(notificationsTable, 'NOTIFICATIONS_TABLE', 'readWrite')
      .bindBucket(snapshotBucket, 'SNAPSHOT_BUCKET', 'readWrite')
      .bindEmailSender(senderIdentity, 'SENDER_EMAIL')
      .bindSecret(unsubscribeSigningSecret, 'UNSUBSCRIBE_SECRET_PARAM');
    checkFn.addToRolePolicy(sendThroughMailConfiguration);

    checkFn.addEventSource(
      new SqsEventSource(checkQueue, {
        batchSize: 5,
        // A failed policy is retried alone; the rest of its batch is not fetched again.
        reportBatchItemFailures: true,
        // At most five workers at once: polite to policy hosts, and a sweep of hundreds of
        // policies drains the queue instead of bursting into throttles.
        maxConcurrency: 5,
      }),
    );

    // ── API ────────────────────────────────────────────────────────────────────

    const apiFn = new MonitorFunction(this, 'api-fn', {
      ...handlerCode('api'),
      description: 'HTTP API: policies, snapshots, diffs, changes, subscriptions, feed',
      timeout: API_TIMEOUT,
    })
      .bindTable(policiesTable, 'POLICIES_TABLE', 'readWrite')
      .bindTable(snapshotsTable, 'SNAPSHOTS_TABLE', 'read')
      .bindTable(checksTable, 'CHECKS_TABLE', 'read')
      .bindTable(changesTable, 'CHANGES_TABLE', 'readWrite')
      .bindTable(subscriptionsTable, 'SUBSCRIPTIONS_TABLE', 'readWrite')
      .bindTable(notificationsTable, 'NOTIFICATIONS_TABLE', 'read')
      .bindBucket(snapshotBucket, 'SNAPSHOT_BUCKET', 'read')
      .bindEmailSender(senderIdentity, 'SENDER_EMAIL')
      .bindSecret(unsubscribeSigningSecret, 'UNSUBSCRIBE_SECRET_PARAM');
    apiFn.addToRolePolicy(sendThroughMailConfiguration);

    const apiAccessLogs = new LogGroup(this, 'api-access-logs', { retention: RetentionDays.ONE_MONTH });
    const api = new apigateway.RestApi(this, 'policy-api', {
      description: 'Policy-change monitor API (routing happens in the api function)',
      endpointTypes: [apigateway.EndpointType.REGIONAL],
      // API Gateway writes its logs through one account-wide role; without it, logging fails to deploy.
      cloudWatchRole: true,
      deployOptions: {
        stageName: API_STAGE,
        accessLogDestination: new apigateway.LogGroupLogDestination(apiAccessLogs),
        accessLogFormat: apigateway.AccessLogFormat.jsonWithStandardFields(),
        loggingLevel: apigateway.MethodLoggingLevel.ERROR,
        tracingEnabled: true,
        throttlingRateLimit: 20,
        throttlingBurstLimit: 40,
      },
      defaultIntegration: new apigateway.LambdaIntegration(apiFn),
      defaultMethodOptions: { apiKeyRequired: true },
    });
    Validations.of(api).acknowledge(
      {
        id: 'AwsSolutions-APIG2',
        reason: 'Every request is validated in the api function by the zod schemas that also generate /openapi.json; invalid input gets a JSON 400/422.',
      },
      {
        id: 'AwsSolutions-APIG3',
        reason: 'Single-tenant tool with a handful of users: API keys, a usage plan and stage throttling bound the traffic; a WAF web ACL would cost more than the service.',
      },
      {
        id: 'AwsSolutions-APIG4',
        reason: 'Authentication is by API key and usage plan by design; the two email-link routes (confirm, unsubscribe) carry an HMAC-signed token checked by the api function.',
      },
      {
        id: 'AwsSolutions-COG4',
        reason: 'No user accounts: operators use an API key, subscribers follow signed links from their email, so there is no Cognito user pool to authorize against.',
      },
      {
        id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AmazonAPIGatewayPushToCloudWatchLogs]',
        reason: 'The AWS-managed policy API Gateway documents for its account-level logging role; it only allows writing CloudWatch logs.',
      },
    );

    // Every route reaches the one api function (Hono routes inside it) and needs the API key
    // (on the root, addProxy also adds ANY / itself)…
    api.root.addProxy({ anyMethod: true });
    // …except the links in emails, opened by people who have no key: the signed token in the
    // link is their credential. Sibling resources get ANY + {proxy+} too, because API Gateway
    // does not fall back to the root {proxy+} once a more specific resource matches.
    const publicLink: apigateway.MethodOptions = { apiKeyRequired: false };
    const subscriptions = api.root.addResource('subscriptions');
    subscriptions.addMethod('ANY');
    subscriptions.addProxy({ anyMethod: true });
    subscriptions.addResource('confirm').addMethod('GET', undefined, publicLink);
    const unsubscribe = api.root.addResource('unsubscribe');
    unsubscribe.addMethod('GET', undefined, publicLink);
    // RFC 8058 one-click: mail clients POST to the List-Unsubscribe URL.
    unsubscribe.addMethod('POST', undefined, publicLink);
    // The diff pages, opened from emails and feeds: a signed view token in the link is the credential.
    const policies = api.root.addResource('policies');
    policies.addMethod('ANY');
    const policy = policies.addResource('{id}');
    policy.addMethod('ANY');
    policy.addProxy({ anyMethod: true });
    policy.addResource('view').addMethod('GET', undefined, publicLink);
    const changes = api.root.addResource('changes');
    changes.addMethod('ANY');
    const change = changes.addResource('{changeId}');
    change.addMethod('ANY');
    change.addProxy({ anyMethod: true });
    change.addResource('view').addMethod('GET', undefined, publicLink);

    const apiKey = api.addApiKey('api-key', { description: 'Operator key for the policy monitor API' });
    api
      .addUsagePlan('usage-plan', {
        description: 'Bounds what one leaked key can cost',
        throttle: { rateLimit: 10, burstLimit: 20 },
        apiStages: [{ api, stage: api.deploymentStage }],
      })
      .addApiKey(apiKey);

    // Links in emails point here. Built from the API id and stage name rather than `api.url`,
    // which would make the api function depend on its own deployment (a cycle).
    const publicBaseUrl = `https://${api.restApiId}.execute-api.${this.region}.${this.urlSuffix}/${API_STAGE}`;
    checkFn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    digestFn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);
    apiFn.addEnvironment('PUBLIC_BASE_URL', publicBaseUrl);

    // ── Alarms ─────────────────────────────────────────────────────────────────

    // Every alarm fires on the first occurrence in a 5-minute window; quiet periods are not alarms.
    const alarmOnAny = (id: string, alarmDescription: string, metric: cloudwatch.IMetric) =>
      new cloudwatch.Alarm(this, id, {
        alarmDescription,
        metric,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    const errorsOf = (fn: MonitorFunction) => fn.metricErrors({ period: Duration.minutes(5), statistic: cloudwatch.Stats.SUM });
    const alarms = [
      alarmOnAny(
        'check-dead-letters-alarm',
        'A policy check failed three times and is waiting in the dead-letter queue',
        checkDeadLetterQueue.metricApproximateNumberOfMessagesVisible({ period: Duration.minutes(5), statistic: cloudwatch.Stats.MAXIMUM }),
      ),
      alarmOnAny('check-errors-alarm', 'The check function failed (crash or timeout, not a recorded fetch failure)', errorsOf(checkFn)),
      // A failing scheduler stops all monitoring without a single dead letter.
      alarmOnAny('scheduler-errors-alarm', 'The scheduler failed, so no policies were queued for checking', errorsOf(schedulerFn)),
      alarmOnAny('digest-errors-alarm', 'The daily digest failed after its retries, so daily subscribers were not told of the changes', errorsOf(digestFn)),
    ];

    if (props.alarmEmail !== undefined) {
      const alarmTopic = new sns.Topic(this, 'alarm-topic', { displayName: 'Policy monitor alarms', enforceSSL: true });
      alarmTopic.addSubscription(new EmailSubscription(props.alarmEmail));
      for (const alarm of alarms) alarm.addAlarmAction(new SnsAction(alarmTopic));
    }

    // ── Outputs ────────────────────────────────────────────────────────────────

    new CfnOutput(this, 'ApiUrl', { value: api.url, description: 'Base URL of the HTTP API' });
    new CfnOutput(this, 'SnapshotBucketName', { value: snapshotBucket.bucketName, description: 'Bucket holding raw and normalized snapshots' });
    new CfnOutput(this, 'ApiKeyId', {
      value: apiKey.keyId,
      description: 'Read the key with: aws apigateway get-api-key --include-value --api-key <ApiKeyId>',
    });
  }
}

function stringKey(name: string): dynamodb.Attribute {
  return { name, type: dynamodb.AttributeType.STRING };
}

/** A table of one record type: on-demand, point-in-time recovery on, CDK-named. */
function recordTable(
  scope: Construct,
  id: string,
  props: Pick<dynamodb.TableProps, 'partitionKey' | 'sortKey' | 'timeToLiveAttribute'>,
): dynamodb.Table {
  return new dynamodb.Table(scope, id, {
    ...props,
    billingMode: dynamodb.BillingMode.PAY_PER_REQUEST,
    pointInTimeRecoverySpecification: { pointInTimeRecoveryEnabled: true },
  });
}
