/**
 * Monthly cost of 1,000 tracked policies checked twice a day, from the benchmark's measurements
 * and the list prices below; written to bench/COST.md by `npm run bench`. Every number that is
 * not measured is an assumption named in ASSUMPTIONS, so a reader can redo the sum.
 */
import type { BundleResult } from './bundles.ts';
import type { SweepResult } from './sweep.ts';

/** us-east-1 list prices (USD), without the free tier. */
export const PRICES = {
  lambdaGbSecondArm: 0.0000133334,
  lambdaPerMillionRequests: 0.2,
  sqsPerMillionRequests: 0.4,
  s3PutPerThousand: 0.005,
  s3GetPerThousand: 0.0004,
  s3StoragePerGbMonth: 0.023,
  dynamoPerMillionWriteUnits: 0.625,
  dynamoPerMillionReadUnits: 0.125,
  dynamoStoragePerGbMonth: 0.25,
  sesPerThousandEmails: 0.1,
  apiGatewayRestPerMillion: 3.5,
  cloudWatchLogsIngestPerGb: 0.5,
  cloudWatchAlarmPerMonth: 0.1,
  xrayPerMillionTraces: 5,
  secretsManagerPerSecretMonth: 0.4,
} as const;

export const ASSUMPTIONS = {
  policies: 1000,
  checksPerDay: 2,
  daysPerMonth: 30,
  /** infra: SQS event source batch size and the check function's memory. */
  checkBatchSize: 5,
  checkMemoryGb: 1,
  otherMemoryGb: 0.5,
  /** A real site answers a conditional GET in well under a second; the local sites answer in ~1 ms. */
  networkSecondsPerBatch: 0.5,
  /** Steady state: a policy publishes a new version about once a quarter. */
  newVersionsPerPolicyPerMonth: 1 / 3,
  /** Confirmed subscribers mailed per material change (one email each). */
  subscribersPerPolicy: 3,
  /** Raw HTML plus normalized JSON of one version (the seeds' pages: 5–110 KB each). */
  kbPerVersion: 110,
  /** The Lambda SQS poller long-polls an idle queue: about 5 pollers × 3 receives a minute. */
  idleReceivesPerMinute: 15,
  apiRequestsPerMonth: 1000,
  /** Powertools' one line per check plus Lambda's START/END/REPORT lines per invocation. */
  logBytesPerCheck: 350,
  logBytesPerInvocation: 350,
  /** Cold starts per tick: the five concurrent workers, idle for 12 h between ticks. */
  coldStartsPerTick: 5,
  /** Lambda's init (billed since Aug 2025) vs. the bundle import measured here: a 1 GB function has about half a vCPU. */
  initSlowdownOnLambda: 2,
  alarms: 4,
  secrets: 1,
} as const;

interface Line {
  service: string;
  usage: string;
  usd: number;
}

export function costModel(sweep: SweepResult, bundles: BundleResult[]): { lines: Line[]; total: number; variable: number; fixed: number; markdown: string } {
  const a = ASSUMPTIONS;
  const p = PRICES;
  const checks = a.policies * a.checksPerDay * a.daysPerMonth;
  const ticks = a.checksPerDay * a.daysPerMonth;
  const invocations = Math.ceil(checks / a.checkBatchSize);
  const newVersions = a.policies * a.newVersionsPerPolicyPerMonth;
  const unchangedChecks = checks - newVersions;

  // Measured: worker-seconds per check in the sweep (workers busy for the sweep's duration).
  const measuredSecondsPerCheck = (sweep.seconds * sweep.workers) / sweep.policies;
  const secondsPerInvocation = measuredSecondsPerCheck * a.checkBatchSize + a.networkSecondsPerBatch;
  const checkImportMs = bundles.find((b) => b.name === 'check')?.importMs ?? 0;
  const initSeconds = ((checkImportMs / 1000) * a.initSlowdownOnLambda) * a.coldStartsPerTick * ticks;
  const checkGbSeconds = (invocations * secondsPerInvocation + initSeconds) * a.checkMemoryGb;
  const schedulerGbSeconds = ticks * 2 * a.otherMemoryGb;
  const apiGbSeconds = a.apiRequestsPerMonth * 0.2 * a.otherMemoryGb;
  const gbSeconds = checkGbSeconds + schedulerGbSeconds + apiGbSeconds;
  const lambdaRequests = invocations + ticks + a.apiRequestsPerMonth;

  // SQS: per tick, sends in batches of 10, receives and deletes per batch of 5; plus idle polling.
  const sqsRequests = ticks * (a.policies / 10 + 2 * (a.policies / a.checkBatchSize));
  const idlePolls = a.idleReceivesPerMinute * 60 * 24 * a.daysPerMonth;

  // DynamoDB: unchanged check = get policy (1 RRU) + put check (1 WRU) + update policy (1–2 WRU);
  // a new version adds snapshot records, change records (with their index) and a notification claim.
  const writeUnits = unchangedChecks * 3 + newVersions * 15;
  const readUnits = checks * 1 + ticks * Math.ceil((a.policies * 1) / 4 / 2) + newVersions * 4;

  // S3: a new version writes raw + normalized (HEAD then PUT each) and reads the baseline (and the previous).
  const s3Puts = newVersions * 2;
  const s3Gets = newVersions * 4;
  const storedGb = (a.policies * a.kbPerVersion + newVersions * a.kbPerVersion) / 1024 / 1024;

  const emails = newVersions * a.subscribersPerPolicy;
  const logGb = (checks * a.logBytesPerCheck + lambdaRequests * a.logBytesPerInvocation) / 1024 ** 3;

  const lines: Line[] = [
    { service: 'Lambda compute', usage: `${fmt(gbSeconds, 0)} GB-s (check ${fmt(checkGbSeconds, 0)}: ${fmt(invocations, 0)} invocations × ${fmt(secondsPerInvocation, 2)} s × ${a.checkMemoryGb} GB + cold starts)`, usd: gbSeconds * p.lambdaGbSecondArm },
    { service: 'Lambda requests', usage: `${fmt(lambdaRequests, 0)} invocations`, usd: (lambdaRequests / 1e6) * p.lambdaPerMillionRequests },
    { service: 'SQS', usage: `${fmt(sqsRequests, 0)} requests (send, receive, delete)`, usd: (sqsRequests / 1e6) * p.sqsPerMillionRequests },
    { service: 'DynamoDB on-demand', usage: `${fmt(writeUnits, 0)} WRU, ${fmt(readUnits, 0)} RRU, < 0.1 GB`, usd: (writeUnits / 1e6) * p.dynamoPerMillionWriteUnits + (readUnits / 1e6) * p.dynamoPerMillionReadUnits + 0.1 * p.dynamoStoragePerGbMonth },
    { service: 'S3 requests', usage: `${fmt(s3Puts, 0)} PUT, ${fmt(s3Gets, 0)} GET/HEAD (unchanged checks: 0)`, usd: (s3Puts / 1000) * p.s3PutPerThousand + (s3Gets / 1000) * p.s3GetPerThousand },
    { service: 'S3 storage', usage: `${fmt(storedGb, 2)} GB after the first month (+${fmt((newVersions * a.kbPerVersion) / 1024 / 1024, 3)} GB a month)`, usd: storedGb * p.s3StoragePerGbMonth },
    { service: 'SES', usage: `${fmt(emails, 0)} emails (${fmt(newVersions, 0)} new versions × ${a.subscribersPerPolicy} subscribers)`, usd: (emails / 1000) * p.sesPerThousandEmails },
    { service: 'API Gateway (REST)', usage: `${fmt(a.apiRequestsPerMonth, 0)} requests`, usd: (a.apiRequestsPerMonth / 1e6) * p.apiGatewayRestPerMillion },
    { service: 'CloudWatch Logs', usage: `${fmt(logGb * 1024, 1)} MB ingested`, usd: logGb * p.cloudWatchLogsIngestPerGb },
    { service: 'X-Ray (active tracing)', usage: `${fmt(lambdaRequests, 0)} traces`, usd: (lambdaRequests / 1e6) * p.xrayPerMillionTraces },
  ];
  const fixedLines: Line[] = [
    { service: 'SQS idle long polling (fixed)', usage: `${fmt(idlePolls, 0)} receives by the event source between ticks`, usd: (idlePolls / 1e6) * p.sqsPerMillionRequests },
    { service: 'CloudWatch alarms (fixed)', usage: `${a.alarms} standard alarms`, usd: a.alarms * p.cloudWatchAlarmPerMonth },
    { service: 'Secrets Manager (fixed)', usage: `${a.secrets} secret (unsubscribe-link key)`, usd: a.secrets * p.secretsManagerPerSecretMonth },
  ];
  const variable = sum(lines);
  const fixed = sum(fixedLines);
  const all = [...lines, ...fixedLines];
  const total = variable + fixed;

  // Stress case: every sweep like the benchmark's, 10 % of checks finding a new version.
  const stressVersions = checks * (sweep.changedPolicies / sweep.policies);
  const stressExtra =
    ((stressVersions - newVersions) * 12) / 1e6 * p.dynamoPerMillionWriteUnits +
    ((stressVersions - newVersions) * 2) / 1000 * p.s3PutPerThousand +
    ((stressVersions - newVersions) * 4) / 1000 * p.s3GetPerThousand +
    ((stressVersions - newVersions) * a.subscribersPerPolicy) / 1000 * p.sesPerThousandEmails;

  const markdown = [
    '## Cost model',
    '',
    `What 1,000 tracked policies cost a month with checks twice a day (${fmt(checks, 0)} checks), at us-east-1 list prices`,
    'without the free tier. Durations and sizes are the ones `npm run bench` measured on this run (see `bench/results.json`);',
    'everything else is an assumption stated below. Generated by `scripts/bench/cost.ts`.',
    '',
    '| service | usage a month | USD |',
    '|---|---|---:|',
    ...all.map((line) => `| ${line.service} | ${line.usage} | ${line.usd.toFixed(3)} |`),
    `| **total** | usage-driven ${variable.toFixed(2)} + fixed ${fixed.toFixed(2)} | **${total.toFixed(2)}** |`,
    '',
    `**Per 1,000 policies: $${variable.toFixed(2)} a month of usage-driven cost**, against a target of $1. The fixed items`,
    `($${fixed.toFixed(2)}) do not grow with the number of policies; the AWS free tier (1 M Lambda requests and 400,000 GB-s,`,
    '1 M SQS requests, 100,000 X-Ray traces, 10 alarms) covers most of the rest for a single deployment.',
    '',
    `Stress case, every check like the benchmark's sweep (${Math.round((100 * sweep.changedPolicies) / sweep.policies)} % of checks find a new version, ${fmt(stressVersions, 0)} a month):`,
    `about $${(total + stressExtra).toFixed(2)} a month, most of it SES (${fmt(stressVersions * a.subscribersPerPolicy, 0)} emails) and DynamoDB writes.`,
    '',
    '### Measured inputs',
    '',
    `- Check work per policy: ${fmt(measuredSecondsPerCheck * 1000, 0)} ms of worker time (the ${sweep.policies}-policy sweep took ${sweep.seconds} s with ${sweep.workers} concurrent workers, emulators included),`,
    `  so a batch of ${a.checkBatchSize} is billed ≈ ${fmt(measuredSecondsPerCheck * a.checkBatchSize, 2)} s + ${a.networkSecondsPerBatch} s of real-network fetch latency = ${fmt(secondsPerInvocation, 2)} s at ${a.checkMemoryGb * 1024} MB (infra/policy-monitor-stack.ts: memorySize 1024, batchSize 5).`,
    `- An unchanged check writes no S3 object (measured: ${sweep.objectsWrittenForUnchanged} objects for ${sweep.policies - sweep.changedPolicies} unchanged policies) and`,
    '  costs one DynamoDB read and two or three writes.',
    `- Cold start: the check bundle imports in ${checkImportMs} ms here; counted ×${a.initSlowdownOnLambda} on Lambda, ${a.coldStartsPerTick} cold starts a tick (Lambda bills the init phase).`,
    '',
    '### Prices assumed (USD, us-east-1)',
    '',
    `Lambda arm64 ${p.lambdaGbSecondArm}/GB-s and ${p.lambdaPerMillionRequests}/M requests · SQS standard ${p.sqsPerMillionRequests}/M requests ·`,
    `S3 Standard PUT ${p.s3PutPerThousand}/1,000, GET/HEAD ${p.s3GetPerThousand}/1,000, storage ${p.s3StoragePerGbMonth}/GB-month ·`,
    `DynamoDB on-demand ${p.dynamoPerMillionWriteUnits}/M write units, ${p.dynamoPerMillionReadUnits}/M read units, ${p.dynamoStoragePerGbMonth}/GB-month ·`,
    `SES ${p.sesPerThousandEmails}/1,000 emails · API Gateway REST ${p.apiGatewayRestPerMillion}/M requests · CloudWatch Logs ${p.cloudWatchLogsIngestPerGb}/GB ingested,`,
    `alarms ${p.cloudWatchAlarmPerMonth}/alarm-month · X-Ray ${p.xrayPerMillionTraces}/M traces · Secrets Manager ${p.secretsManagerPerSecretMonth}/secret-month.`,
    '',
    '### Assumptions',
    '',
    `- ${a.newVersionsPerPolicyPerMonth.toFixed(2)} new versions per policy a month (about one a quarter), each mailed to ${a.subscribersPerPolicy} subscribers.`,
    `- ${a.kbPerVersion} KB stored per version (raw + normalized JSON); the bucket is versioned and content-addressed, so storage only grows with new versions.`,
    `- The SQS event source long-polls the idle queue (≈ ${a.idleReceivesPerMinute} receives a minute) whatever the number of policies: a fixed cost.`,
    `- ${a.apiRequestsPerMonth} API requests a month at 200 ms; the scheduler runs ${ticks} times at 2 s, both at 512 MB.`,
    `- DynamoDB: ~3 write units per unchanged check, ~15 per new version; a scan of the policies table per tick.`,
    '- Not counted: data transfer (fetches are inbound, free), KMS (S3-managed keys), DynamoDB point-in-time recovery on < 0.1 GB, the SNS alarm topic and the access-log bucket (pennies each).',
    '',
  ].join('\n');
  return { lines: all, total, variable, fixed, markdown };
}

function sum(lines: Line[]): number {
  return lines.reduce((n, line) => n + line.usd, 0);
}

function fmt(n: number, digits: number): string {
  return n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
}
