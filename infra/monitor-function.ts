/**
 * The project's Lambda function: a handler bundled by lambda-bundle.ts, with the defaults every
 * handler shares, and `bind…()` helpers that add a resource's environment variable and its grant
 * together, so a function is never given a resource it may not use, nor a grant it cannot find.
 */
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { AssetHashType, Duration, Stack, Validations, type CfnElement, type ILocalBundling } from 'aws-cdk-lib';
import type { CfnTable, ITable } from 'aws-cdk-lib/aws-dynamodb';
import { Architecture, Code, Function as LambdaFunction, Runtime, Tracing, type FunctionOptions } from 'aws-cdk-lib/aws-lambda';
import { LogGroup, RetentionDays } from 'aws-cdk-lib/aws-logs';
import type { IBucket } from 'aws-cdk-lib/aws-s3';
import type { ISecret } from 'aws-cdk-lib/aws-secretsmanager';
import type { IEmailIdentity } from 'aws-cdk-lib/aws-ses';
import type { IQueue } from 'aws-cdk-lib/aws-sqs';
import type { Construct } from 'constructs';

/** Read-only, or read and write (which includes delete). */
export type Access = 'read' | 'readWrite';

export interface MonitorFunctionProps extends FunctionOptions {
  /** Absolute path of the handler's TypeScript entry file; it must export `handler`. */
  readonly entry: string;
  /**
   * The directory esbuild runs in: source map paths are relative to it, and packages resolve
   * from the entry upwards. @default the entry's directory
   */
  readonly projectRoot?: string;
  /**
   * The deployed runtime; the code is also run by tests on local Node 20.
   * @default Runtime.NODEJS_22_X
   */
  readonly runtime?: Runtime;
  /**
   * Graviton: cheaper per GB-second, and nothing here needs x86 binaries.
   * @default Architecture.ARM_64
   */
  readonly architecture?: Architecture;
  /**
   * Memory in MB; Lambda gives CPU in proportion to it.
   * @default 512
   */
  readonly memorySize?: number;
  /**
   * @default Duration.seconds(30)
   */
  readonly timeout?: Duration;
  /**
   * @default Tracing.ACTIVE
   */
  readonly tracing?: Tracing;
  /**
   * How long the function's logs are kept (ignored when `logGroup` is given).
   * @default RetentionDays.ONE_MONTH
   */
  readonly logRetention?: RetentionDays;
}

const BUNDLE_CLI = fileURLToPath(new URL('./lambda-bundle-cli.ts', import.meta.url));
const TSX_LOADER = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;

/**
 * Bundles a handler on this machine with lambda-bundle.ts (esbuild and its SDK plugin), in a
 * child process since CDK bundling is synchronous. Never falls back to Docker: esbuild is a
 * dependency, and a failed build must stop the synth with esbuild's own message.
 */
class LocalEsbuildBundling implements ILocalBundling {
  // Public on purpose: CDK keys its in-synth asset cache on the bundling options as JSON, and the
  // five handlers share one source directory, so the entry must show there (a `#` field would not).
  constructor(
    readonly entry: string,
    readonly projectRoot: string,
  ) {}

  tryBundle(outputDir: string): boolean {
    const result = spawnSync(process.execPath, ['--import', TSX_LOADER, BUNDLE_CLI, this.entry, outputDir, this.projectRoot], {
      cwd: this.projectRoot,
      stdio: ['ignore', 'inherit', 'inherit'],
    });
    if (result.status !== 0) {
      throw new Error(`Bundling ${this.entry} failed (${result.error?.message ?? `exit status ${result.status ?? result.signal}`}); esbuild's messages are above.`);
    }
    return true;
  }
}

/** The handler's code: its bundle, hashed by content so an unchanged bundle is not uploaded again. */
function bundledCode(entry: string, projectRoot: string, runtime: Runtime): Code {
  return Code.fromAsset(path.dirname(entry), {
    assetHashType: AssetHashType.OUTPUT,
    bundling: {
      // Required by the type, never used: local bundling always succeeds or throws.
      image: runtime.bundlingImage,
      local: new LocalEsbuildBundling(entry, projectRoot),
    },
  });
}

/**
 * A Lambda function bundled by lambda-bundle.ts (ESM, minified, source maps, the AWS SDK
 * bundled), with the defaults every handler shares.
 */
export class MonitorFunction extends LambdaFunction {
  constructor(scope: Construct, id: string, props: MonitorFunctionProps) {
    const {
      entry,
      projectRoot = path.dirname(entry),
      runtime = Runtime.NODEJS_22_X,
      tracing = Tracing.ACTIVE,
      logRetention = RetentionDays.ONE_MONTH,
      logGroup,
      environment,
      ...functionProps
    } = props;
    super(scope, id, {
      architecture: Architecture.ARM_64,
      memorySize: 512,
      timeout: Duration.seconds(30),
      ...functionProps,
      runtime,
      code: bundledCode(entry, projectRoot, runtime),
      handler: 'index.handler',
      tracing,
      // A log group of our own (a sibling, as it must exist before super()) sets the
      // retention without the LogRetention custom resource and its extra Lambda.
      logGroup: logGroup ?? new LogGroup(scope, `${id}-logs`, { retention: logRetention }),
      environment: {
        // Stack traces point at the TypeScript source through the bundled source map.
        NODE_OPTIONS: '--enable-source-maps',
        ...environment,
      },
    });

    // Findings these defaults cause by construction; acknowledged here, next to their cause.
    Validations.of(this).acknowledge({
      id: 'AwsSolutions-IAM4[Policy::arn:<AWS::Partition>:iam::aws:policy/service-role/AWSLambdaBasicExecutionRole]',
      reason: "AWSLambdaBasicExecutionRole only allows writing the function's own CloudWatch logs; it is the AWS-maintained minimum for any Lambda function.",
    });
    if (runtime.name === Runtime.NODEJS_22_X.name) {
      Validations.of(this).acknowledge({
        id: 'AwsSolutions-L1',
        reason: 'Node.js 22 is pinned on purpose: the code is written and tested for local Node 20/22, and a newer runtime is a deliberate upgrade, not a side effect of a CDK release.',
      });
    }
    if (tracing === Tracing.ACTIVE) {
      this.acknowledgeWildcard(
        'Resource::*',
        'Active X-Ray tracing needs xray:PutTraceSegments and xray:PutTelemetryRecords, which support no resource-level scoping.',
      );
    }
  }

  /**
   * Passes the table name in `envName` and grants read or read-write access to it and its
   * indexes. Add the table's indexes before binding it: the IAM5 acknowledgment is per index set.
   */
  bindTable(table: ITable, envName: string, access: Access): this {
    this.addEnvironment(envName, table.tableName);
    if (access === 'read') table.grantReadData(this);
    else table.grantReadWriteData(this);
    if (hasSecondaryIndexes(table)) {
      this.acknowledgeWildcard(
        `Resource::<${logicalIdOf(table.node.defaultChild as CfnElement)}.Arn>/index/*`,
        `Queries on the table's secondary indexes (${envName}) need its index ARNs; the grant covers that one table's indexes only.`,
      );
    }
    return this;
  }

  /**
   * Passes names without any grant. The handlers' shared runtime (functions/handlers/runtime.ts)
   * reads every table name and the bucket name at start-up, even in a function that touches
   * one table; a name is not a permission.
   */
  addNamesWithoutAccess(names: Readonly<Record<string, string>>): this {
    for (const [envName, name] of Object.entries(names)) this.addEnvironment(envName, name);
    return this;
  }

  /** Passes the bucket name in `envName` and grants read or read-write access to its objects. */
  bindBucket(bucket: IBucket, envName: string, access: Access): this {
    this.addEnvironment(envName, bucket.bucketName);
    const grant = access === 'read' ? bucket.grantRead(this) : bucket.grantReadWrite(this);
    this.acknowledgeWildcard(
      `Resource::<${logicalIdOf(bucket.node.defaultChild as CfnElement)}.Arn>/*`,
      `Object keys are chosen at run time (content-addressed snapshots), so they cannot be listed; the grant covers only the objects of the ${envName} bucket.`,
    );
    const wildcardActions = new Set(grant.principalStatements.flatMap((statement) => statement.actions).filter((action) => action.includes('*')));
    for (const action of wildcardActions) {
      this.acknowledgeWildcard(
        `Action::${action}`,
        `${action} is part of CDK's S3 ${access} grant (object versions, tags, multipart parts), scoped to the ${envName} bucket only.`,
      );
    }
    return this;
  }

  /** Passes the queue URL in `envName` and allows sending messages to it. */
  bindQueueSender(queue: IQueue, envName: string): this {
    this.addEnvironment(envName, queue.queueUrl);
    queue.grantSendMessages(this);
    return this;
  }

  /** Passes the secret's ARN in `envName` (a valid SecretId) and allows reading its value. */
  bindSecret(secret: ISecret, envName: string): this {
    this.addEnvironment(envName, secret.secretArn);
    secret.grantRead(this);
    return this;
  }

  /** Passes the sender address in `envName` and allows sending email from that SES identity. */
  bindEmailSender(identity: IEmailIdentity, envName: string): this {
    this.addEnvironment(envName, identity.emailIdentityName);
    identity.grantSendEmail(this);
    return this;
  }

  private acknowledgeWildcard(finding: string, reason: string): void {
    Validations.of(this).acknowledge({ id: `AwsSolutions-IAM5[${finding}]`, reason });
  }
}

/**
 * The logical id cdk-nag prints in its findings. Resolved now, while the construct path is
 * final, so acknowledgments never hard-code a hashed id.
 */
function logicalIdOf(element: CfnElement): string {
  return Stack.of(element).resolve(element.logicalId) as string;
}

function hasSecondaryIndexes(table: ITable): boolean {
  const cfnTable = table.node.defaultChild as CfnTable | undefined;
  if (cfnTable === undefined) return false; // an imported table: nothing to know about its indexes
  const stack = Stack.of(table);
  const globalIndexes = stack.resolve(cfnTable.globalSecondaryIndexes) as unknown[] | undefined;
  const localIndexes = stack.resolve(cfnTable.localSecondaryIndexes) as unknown[] | undefined;
  return (globalIndexes?.length ?? 0) + (localIndexes?.length ?? 0) > 0;
}
