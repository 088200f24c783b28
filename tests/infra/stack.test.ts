import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Capture, Match, type Template } from 'aws-cdk-lib/assertions';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CHANGES_BY_POLICY_INDEX, SUBSCRIPTIONS_BY_EMAIL_INDEX, TABLE_ENV_VARS } from '../../functions/adapters/dynamo-store.ts';
import { readMonitorSettings } from '../../infra/settings.ts';
import {
  CDK_JSON_CONTEXT,
  createStubProject,
  environmentOf,
  findMonitorFunctions,
  permissionsOf,
  referencedIds,
  resourcesOfType,
  synthesizeMonitor,
  type StubProject,
} from './monitor-app.ts';

// Not cdk.json's value, so the test proves the rule takes the schedule from context.
const SCHEDULE = 'cron(15 4 * * ? *)';
const SENDER = 'monitor@example.org';

let project: StubProject;
beforeAll(() => {
  project = createStubProject();
});
afterAll(() => project.remove());

const synthesize = (context: Record<string, unknown> = {}): Template =>
  synthesizeMonitor(project.projectRoot, { senderEmail: SENDER, schedule: SCHEDULE, ...context }).template;

/** "HTTP-method /path" → whether it needs an API key, from the template's resources and methods. */
function renderApiKeyRequirements(template: Template): Record<string, boolean> {
  const resources = resourcesOfType(template, 'AWS::ApiGateway::Resource');
  const pathOf = (resourceId: string | undefined): string => {
    const resource = resourceId === undefined ? undefined : resources.get(resourceId);
    if (resource === undefined) return ''; // the API's root resource (Fn::GetAtt RootResourceId)
    return `${pathOf(referencedIds(resource.Properties?.ParentId)[0])}/${String(resource.Properties?.PathPart)}`;
  };
  const methods = [...resourcesOfType(template, 'AWS::ApiGateway::Method').values()].map((method) => [
    `${String(method.Properties?.HttpMethod)} ${pathOf(referencedIds(method.Properties?.ResourceId)[0]) || '/'}`,
    method.Properties?.ApiKeyRequired === true,
  ]);
  return Object.fromEntries(methods) as Record<string, boolean>;
}

describe('PolicyMonitorStack', () => {
  describe('storage', () => {
    it('keeps snapshots in a versioned bucket that logs its access', () => {
      // Act
      const template = synthesize();

      // Assess
      const { check } = findMonitorFunctions(template);
      const [snapshotBucketId] = referencedIds(environmentOf(template, check).SNAPSHOT_BUCKET);
      const snapshotBucket = resourcesOfType(template, 'AWS::S3::Bucket').get(snapshotBucketId ?? '');
      expect(snapshotBucket?.Properties).toMatchObject({
        VersioningConfiguration: { Status: 'Enabled' },
        LoggingConfiguration: { DestinationBucketName: { Ref: expect.any(String) } },
      });
    });

    it('encrypts every bucket, blocks public access and refuses requests without TLS', () => {
      // Act
      const template = synthesize();

      // Assess
      const buckets = resourcesOfType(template, 'AWS::S3::Bucket');

      expect(buckets.size).toBe(2); // snapshots and their access logs
      for (const [bucketId, bucket] of buckets) {
        expect(bucket.Properties).toMatchObject({
          BucketEncryption: { ServerSideEncryptionConfiguration: [{ ServerSideEncryptionByDefault: { SSEAlgorithm: 'AES256' } }] },
          PublicAccessBlockConfiguration: { BlockPublicAcls: true, BlockPublicPolicy: true, IgnorePublicAcls: true, RestrictPublicBuckets: true },
        });
        template.hasResourceProperties('AWS::S3::BucketPolicy', {
          Bucket: { Ref: bucketId },
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({ Effect: 'Deny', Action: 's3:*', Condition: { Bool: { 'aws:SecureTransport': 'false' } } }),
            ]),
          },
        });
      }
    });

    it('creates the tables the store adapter expects, on demand, with point-in-time recovery, CDK-named', () => {
      // Act
      const template = synthesize();

      // Assess
      const { check } = findMonitorFunctions(template);
      const tables = resourcesOfType(template, 'AWS::DynamoDB::Table');

      const renderTable = (tableId: string): string => {
        const properties = tables.get(tableId)?.Properties ?? {};
        const keys = (schema: unknown) => (schema as { AttributeName: string }[]).map((key) => key.AttributeName).join(' + ');
        const indexes = ((properties.GlobalSecondaryIndexes ?? []) as { IndexName: string; KeySchema: unknown }[]).map(
          (index) => `; ${index.IndexName}: ${keys(index.KeySchema)}`,
        );
        const ttl = properties.TimeToLiveSpecification as { AttributeName: string; Enabled: boolean } | undefined;
        return `${keys(properties.KeySchema)}${indexes.join('')}${ttl?.Enabled ? `; TTL ${ttl.AttributeName}` : ''}`;
      };
      const environment = environmentOf(template, check);
      const schemaByVariable = Object.fromEntries(
        Object.values(TABLE_ENV_VARS).map((variable) => [variable, renderTable(referencedIds(environment[variable])[0] ?? '')]),
      );

      expect(schemaByVariable).toEqual({
        POLICIES_TABLE: 'policyId',
        SNAPSHOTS_TABLE: 'policyId + sk',
        CHECKS_TABLE: 'policyId + checkedAt',
        CHANGES_TABLE: `changeId; ${CHANGES_BY_POLICY_INDEX}: policyId + detectedAt`,
        SUBSCRIPTIONS_TABLE: `subscriptionId; ${SUBSCRIPTIONS_BY_EMAIL_INDEX}: email`,
        NOTIFICATIONS_TABLE: 'notificationKey; TTL expiresAt',
      });
      expect(tables.size).toBe(6);
      for (const table of tables.values()) {
        expect(table.Properties).toMatchObject({
          BillingMode: 'PAY_PER_REQUEST',
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        });
        expect(table.Properties).not.toHaveProperty('TableName');
      }
    });
  });

  describe('schedule and queue', () => {
    it('starts the scheduler on the schedule given in context', () => {
      // Act
      const template = synthesize();

      // Assess
      const { scheduler } = findMonitorFunctions(template);

      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: SCHEDULE,
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [scheduler, 'Arn'] }, Input: Match.absent() })],
      });
    });

    it('starts the digest function for the daily digests at 07:00 UTC, with a retry', () => {
      // Act
      const template = synthesize();

      // Assess
      const { scheduler, digest } = findMonitorFunctions(template);

      expect(digest).not.toBe(scheduler);
      template.resourceCountIs('AWS::Events::Rule', 2); // the sweep and the digest
      template.hasResourceProperties('AWS::Events::Rule', {
        ScheduleExpression: 'cron(0 7 * * ? *)',
        State: 'ENABLED',
        Targets: [Match.objectLike({ Arn: { 'Fn::GetAtt': [digest, 'Arn'] }, RetryPolicy: { MaximumRetryAttempts: 2 } })],
      });
    });

    it('defaults to checking twice a day, at 06:00 and 18:00 UTC', () => {
      const app = new App({ outdir: path.join(project.projectRoot, 'cdk.out-defaults'), context: { ...CDK_JSON_CONTEXT } });

      expect(readMonitorSettings(app)).toEqual({ senderEmail: 'alerts@example.com', schedule: 'cron(0 6,18 * * ? *)' });
    });

    it('moves a message to a dead-letter queue kept 14 days after three failed receives', () => {
      // Act
      const template = synthesize();

      // Assess
      const deadLetterQueueArn = new Capture();

      template.hasResourceProperties('AWS::SQS::Queue', {
        RedrivePolicy: { deadLetterTargetArn: deadLetterQueueArn, maxReceiveCount: 3 },
        SqsManagedSseEnabled: true,
      });

      const [deadLetterQueueId] = referencedIds(deadLetterQueueArn.asObject());
      expect(resourcesOfType(template, 'AWS::SQS::Queue').get(deadLetterQueueId ?? '')?.Properties).toMatchObject({
        MessageRetentionPeriod: 14 * 24 * 60 * 60,
        SqsManagedSseEnabled: true,
      });
    });

    it('keeps a message invisible for at least six check timeouts', () => {
      // Act
      const template = synthesize();

      // Assess
      const { check } = findMonitorFunctions(template);
      const checkQueueArn = new Capture();
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', { EventSourceArn: checkQueueArn });

      const checkQueue = resourcesOfType(template, 'AWS::SQS::Queue').get(referencedIds(checkQueueArn.asObject())[0] ?? '');
      const checkFunction = resourcesOfType(template, 'AWS::Lambda::Function').get(check);

      expect(checkQueue?.Properties?.VisibilityTimeout).toBeGreaterThanOrEqual(6 * Number(checkFunction?.Properties?.Timeout));
    });

    it('refuses queue requests without TLS', () => {
      // Act
      const template = synthesize();

      // Assess
      const queuePolicies = resourcesOfType(template, 'AWS::SQS::QueuePolicy');

      expect(queuePolicies.size).toBe(2);
      for (const policy of queuePolicies.values()) {
        expect(policy.Properties?.PolicyDocument).toMatchObject({
          Statement: expect.arrayContaining([expect.objectContaining({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]),
        });
      }
    });

    it('feeds the check function five messages at a time, at most five workers, retrying only failed messages', () => {
      // Act
      const template = synthesize();

      // Assess
      const { check } = findMonitorFunctions(template);

      template.resourceCountIs('AWS::Lambda::EventSourceMapping', 1);
      template.hasResourceProperties('AWS::Lambda::EventSourceMapping', {
        FunctionName: { Ref: check },
        BatchSize: 5,
        FunctionResponseTypes: ['ReportBatchItemFailures'],
        ScalingConfig: { MaximumConcurrency: 5 },
      });
    });
  });

  describe('functions', () => {
    it('runs five functions on Node.js 22, arm64, traced, with logs kept a month', () => {
      // Act
      const template = synthesize();

      // Assess
      const functions = resourcesOfType(template, 'AWS::Lambda::Function');

      expect(functions.size).toBe(5); // scheduler, digest, check, api, ses-feedback
      for (const fn of functions.values()) {
        expect(fn.Properties).toMatchObject({
          Runtime: 'nodejs22.x',
          Architectures: ['arm64'],
          Handler: 'index.handler',
          TracingConfig: { Mode: 'Active' },
        });
        const [logGroupId] = referencedIds((fn.Properties?.LoggingConfig as { LogGroup?: unknown } | undefined)?.LogGroup);
        expect(resourcesOfType(template, 'AWS::Logs::LogGroup').get(logGroupId ?? '')?.Properties).toMatchObject({ RetentionInDays: 30 });
      }
    });

    it('passes each function the names its handler reads', () => {
      // Act
      const template = synthesize();

      // Assess
      const functionIds = findMonitorFunctions(template);
      const tables = Object.values(TABLE_ENV_VARS);

      const variableNames = Object.fromEntries(
        Object.entries(functionIds).map(([name, id]) => [name, Object.keys(environmentOf(template, id)).sort()]),
      );

      expect(variableNames).toEqual({
        // The shared runtime reads every storage name at start-up; the scheduler gets no grant for most.
        scheduler: ['CHECK_QUEUE_URL', 'NODE_OPTIONS', 'SNAPSHOT_BUCKET', ...tables].sort(),
        digest: ['NODE_OPTIONS', 'PUBLIC_BASE_URL', 'SENDER_EMAIL', 'SNAPSHOT_BUCKET', 'UNSUBSCRIBE_SECRET_PARAM', ...tables].sort(),
        check: ['NODE_OPTIONS', 'PUBLIC_BASE_URL', 'SENDER_EMAIL', 'SNAPSHOT_BUCKET', 'UNSUBSCRIBE_SECRET_PARAM', ...tables].sort(),
        api: ['NODE_OPTIONS', 'PUBLIC_BASE_URL', 'SENDER_EMAIL', 'SNAPSHOT_BUCKET', 'UNSUBSCRIBE_SECRET_PARAM', ...tables].sort(),
      });
      expect(environmentOf(template, functionIds.check).SENDER_EMAIL).toEqual({ Ref: expect.any(String) });
    });

    it('lets the scheduler read policies and queue checks, and nothing else', () => {
      // Act
      const template = synthesize();

      // Assess
      const { scheduler, check } = findMonitorFunctions(template);
      const [policiesTableId] = referencedIds(environmentOf(template, check).POLICIES_TABLE);
      const [checkQueueId] = referencedIds(environmentOf(template, scheduler).CHECK_QUEUE_URL);

      const touched = new Set(permissionsOf(template, scheduler).flatMap((permission) => permission.resources));
      const writes = permissionsOf(template, scheduler).filter((permission) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(permission.action));

      expect([...touched].sort()).toEqual([policiesTableId, checkQueueId].sort());
      expect(writes).toEqual([]);
    });

    it('lets the digest function read policies, changes and subscriptions, log digests and send mail, and nothing else', () => {
      // Act
      const template = synthesize();

      // Assess
      const { digest, check } = findMonitorFunctions(template);
      const tableOf = (name: string) => referencedIds(environmentOf(template, check)[name])[0];
      const [secretId] = resourcesOfType(template, 'AWS::SecretsManager::Secret').keys();
      const [identityId] = resourcesOfType(template, 'AWS::SES::EmailIdentity').keys();
      const [configurationSetId] = resourcesOfType(template, 'AWS::SES::ConfigurationSet').keys();

      const permissions = permissionsOf(template, digest);
      // Pseudo parameters (AWS::Region…) appear in the configuration set's ARN; they are not resources.
      const touched = new Set(permissions.flatMap((permission) => permission.resources).filter((id) => !id.startsWith('AWS::')));
      const written = new Set(permissions.filter((permission) => /^dynamodb:(Put|Update|Delete|BatchWrite)/.test(permission.action)).flatMap((permission) => permission.resources));

      expect([...touched].sort()).toEqual(
        [tableOf('POLICIES_TABLE'), tableOf('CHANGES_TABLE'), tableOf('SUBSCRIPTIONS_TABLE'), tableOf('NOTIFICATIONS_TABLE'), secretId, identityId, configurationSetId].sort(),
      );
      // Only the notification log, where each digest is claimed once.
      expect([...written]).toEqual([tableOf('NOTIFICATIONS_TABLE')]);
    });

    it('lets only the check, api and digest functions send email and read the link-signing secret', () => {
      // Act
      const template = synthesize();

      // Assess
      const functionIds = findMonitorFunctions(template);
      const [secretId] = resourcesOfType(template, 'AWS::SecretsManager::Secret').keys();

      const sensitive = Object.fromEntries(
        Object.entries(functionIds).map(([name, id]) => {
          const permissions = permissionsOf(template, id);
          return [
            name,
            {
              sendsEmail: permissions.some((permission) => permission.action === 'ses:SendEmail'),
              readsSecret: permissions.some((permission) => permission.action === 'secretsmanager:GetSecretValue' && permission.resources.includes(secretId ?? '')),
            },
          ];
        }),
      );

      expect(sensitive).toEqual({
        scheduler: { sendsEmail: false, readsSecret: false },
        digest: { sendsEmail: true, readsSecret: true },
        check: { sendsEmail: true, readsSecret: true },
        api: { sendsEmail: true, readsSecret: true },
      });
      template.hasResourceProperties('AWS::SecretsManager::Secret', { GenerateSecretString: Match.objectLike({ PasswordLength: 64 }) });
    });

    it('publishes bounces and complaints of every send to a topic that the suppression function reads', () => {
      // Act
      const template = synthesize();

      // Assess
      const [configurationSetId] = resourcesOfType(template, 'AWS::SES::ConfigurationSet').keys();
      const [topicId] = resourcesOfType(template, 'AWS::SNS::Topic').keys();
      template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: SENDER, ConfigurationSetAttributes: { ConfigurationSetName: { Ref: configurationSetId } } });
      template.hasResourceProperties('AWS::SES::ConfigurationSetEventDestination', {
        ConfigurationSetName: { Ref: configurationSetId },
        EventDestination: { Enabled: true, MatchingEventTypes: ['bounce', 'complaint'], SnsDestination: { TopicARN: { Ref: topicId } } },
      });
      const functionIds = new Set(resourcesOfType(template, 'AWS::Lambda::Function').keys());
      const known = new Set(Object.values(findMonitorFunctions(template)));
      const [feedbackFn] = [...functionIds].filter((id) => !known.has(id));
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda', TopicArn: { Ref: topicId }, Endpoint: { 'Fn::GetAtt': [feedbackFn, 'Arn'] } });
      expect(permissionsOf(template, feedbackFn ?? '').map((p) => p.action)).toContain('dynamodb:UpdateItem');
    });

    it('gives the suppression function every name its handler reads at start-up, and no way to send mail', async () => {
      // Prepare
      const { runtimeConfigFromEnv } = await import('../../functions/handlers/runtime.ts');
      const template = synthesize();
      const known = new Set(Object.values(findMonitorFunctions(template)));
      const [feedbackFn = ''] = [...resourcesOfType(template, 'AWS::Lambda::Function').keys()].filter((id) => !known.has(id));
      const names = Object.fromEntries(Object.keys(environmentOf(template, feedbackFn)).map((name) => [name, `${name.toLowerCase()}-value`]));
      // Act
      const config = runtimeConfigFromEnv(names);
      // Assess
      expect(config.tables.subscriptions).toBe('subscriptions_table-value');
      expect(permissionsOf(template, feedbackFn).map((p) => p.action).filter((action) => action.startsWith('ses:'))).toEqual([]);
    });

    it('verifies the sender address from context with SES', () => {
      // Act
      const template = synthesize();

      // Assess
      template.resourceCountIs('AWS::SES::EmailIdentity', 1);
      template.hasResourceProperties('AWS::SES::EmailIdentity', { EmailIdentity: SENDER });
    });
  });

  describe('API', () => {
    it('requires an API key on every method except the links in emails', () => {
      // Act
      const template = synthesize();

      // Assess
      expect(renderApiKeyRequirements(template)).toEqual({
        'ANY /': true,
        'ANY /{proxy+}': true,
        'ANY /subscriptions': true,
        'ANY /subscriptions/{proxy+}': true,
        'GET /subscriptions/confirm': false,
        'GET /unsubscribe': false,
        'POST /unsubscribe': false,
        'ANY /policies': true,
        'ANY /policies/{id}': true,
        'ANY /policies/{id}/{proxy+}': true,
        'GET /policies/{id}/view': false,
        'ANY /changes': true,
        'ANY /changes/{changeId}': true,
        'ANY /changes/{changeId}/{proxy+}': true,
        'GET /changes/{changeId}/view': false,
      });
    });

    it('sends every method to the api function as a Lambda proxy integration', () => {
      // Act
      const template = synthesize();

      // Assess
      const { api } = findMonitorFunctions(template);

      for (const method of resourcesOfType(template, 'AWS::ApiGateway::Method').values()) {
        expect(method.Properties?.Integration).toMatchObject({ Type: 'AWS_PROXY', IntegrationHttpMethod: 'POST' });
        expect(referencedIds((method.Properties?.Integration as { Uri: unknown }).Uri)).toContain(api);
      }
    });

    it('logs and throttles the stage, and ties the API key to a throttled usage plan', () => {
      // Act
      const template = synthesize();

      // Assess
      const stageName = new Capture();

      template.hasResourceProperties('AWS::ApiGateway::Stage', {
        StageName: stageName,
        AccessLogSetting: { DestinationArn: Match.anyValue(), Format: Match.stringLikeRegexp('requestId') },
        TracingEnabled: true,
        MethodSettings: [Match.objectLike({ LoggingLevel: 'ERROR', ThrottlingRateLimit: 20, ThrottlingBurstLimit: 40 })],
      });
      template.hasResourceProperties('AWS::ApiGateway::UsagePlan', {
        ApiStages: [Match.objectLike({ Stage: { Ref: Match.anyValue() } })],
        Throttle: { RateLimit: 10, BurstLimit: 20 },
      });
      template.resourceCountIs('AWS::ApiGateway::ApiKey', 1);
      template.resourceCountIs('AWS::ApiGateway::UsagePlanKey', 1);
      expect(stageName.asString()).toBe('v1');
    });
  });

  describe('alarms and outputs', () => {
    it('alarms on any dead letter and on any check error within five minutes', () => {
      // Act
      const template = synthesize();

      // Assess
      const { check } = findMonitorFunctions(template);
      const deadLetterQueueArn = new Capture();
      template.hasResourceProperties('AWS::SQS::Queue', { RedrivePolicy: { deadLetterTargetArn: deadLetterQueueArn } });
      const [deadLetterQueueId] = referencedIds(deadLetterQueueArn.asObject());
      const atLeastOne = { Threshold: 1, ComparisonOperator: 'GreaterThanOrEqualToThreshold', EvaluationPeriods: 1, Period: 300 };

      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...atLeastOne,
        Namespace: 'AWS/SQS',
        MetricName: 'ApproximateNumberOfMessagesVisible',
        Dimensions: [{ Name: 'QueueName', Value: { 'Fn::GetAtt': [deadLetterQueueId, 'QueueName'] } }],
      });
      template.hasResourceProperties('AWS::CloudWatch::Alarm', {
        ...atLeastOne,
        Namespace: 'AWS/Lambda',
        MetricName: 'Errors',
        Statistic: 'Sum',
        Dimensions: [{ Name: 'FunctionName', Value: { Ref: check } }],
      });
    });

    it('creates no alarm topic when alarmEmail is not set', () => {
      // Act
      const template = synthesize();

      // Assess: the one topic is SES feedback's.
      template.resourceCountIs('AWS::SNS::Topic', 1);
      template.resourceCountIs('AWS::SNS::Subscription', 1);
      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'lambda' });
      template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: Match.absent() });
    });

    it('mails alarms to alarmEmail through an SNS topic that requires TLS', () => {
      // Act
      const template = synthesize({ alarmEmail: 'ops@example.org' });

      // Assess
      const [topicId] = [...resourcesOfType(template, 'AWS::SNS::Topic')].filter(([, topic]) => topic.Properties?.DisplayName === 'Policy monitor alarms').map(([id]) => id);

      template.hasResourceProperties('AWS::SNS::Subscription', { Protocol: 'email', Endpoint: 'ops@example.org', TopicArn: { Ref: topicId } });
      template.allResourcesProperties('AWS::CloudWatch::Alarm', { AlarmActions: [{ Ref: topicId }] });
      template.hasResourceProperties('AWS::SNS::TopicPolicy', {
        PolicyDocument: { Statement: Match.arrayWith([Match.objectLike({ Effect: 'Deny', Condition: { Bool: { 'aws:SecureTransport': 'false' } } })]) },
      });
    });

    it('outputs the API URL, the snapshot bucket name and the API key id', () => {
      // Act
      const template = synthesize();

      // Assess
      const { check } = findMonitorFunctions(template);

      template.hasOutput('ApiUrl', { Value: Match.objectLike({ 'Fn::Join': Match.anyValue() }) });
      template.hasOutput('SnapshotBucketName', { Value: environmentOf(template, check).SNAPSHOT_BUCKET });
      template.hasOutput('ApiKeyId', { Value: { Ref: [...resourcesOfType(template, 'AWS::ApiGateway::ApiKey').keys()][0] } });
    });
  });

  describe('settings', () => {
    it('rejects a sender email that is not an address, naming the context key', () => {
      expect(() => synthesize({ senderEmail: 'alerts' })).toThrow(/Context "senderEmail" is "alerts"/);
    });

    it('rejects a schedule that is not an EventBridge expression', () => {
      expect(() => synthesize({ schedule: '0 6 * * *' })).toThrow(/Context "schedule"/);
    });
  });
});
