/**
 * Deployment settings from CDK context (cdk.json, or `-c key=value` on the command line),
 * checked once here so a typo fails `cdk synth` with a message instead of a broken deploy.
 */
import type { Construct } from 'constructs';

export interface MonitorSettings {
  /** Address the alerts are sent from; SES must verify it (it sends a link on first deploy). */
  readonly senderEmail: string;
  /** EventBridge schedule expression for checks, `cron(…)` or `rate(…)`, evaluated in UTC. */
  readonly schedule: string;
  /** Where alarm notifications go; without it the alarms still exist but notify nobody. */
  readonly alarmEmail?: string;
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/;
const SCHEDULE_EXPRESSION = /^(cron|rate)\(.+\)$/;

/** Reads `senderEmail`, `schedule` and optional `alarmEmail`; throws naming the bad key. */
export function readMonitorSettings(scope: Construct): MonitorSettings {
  const senderEmail = requireContext(scope, 'senderEmail', EMAIL, 'an email address, e.g. -c senderEmail=alerts@example.org');
  const schedule = requireContext(scope, 'schedule', SCHEDULE_EXPRESSION, 'an EventBridge expression, e.g. -c "schedule=cron(0 6,18 * * ? *)"');
  const alarmEmail = optionalContext(scope, 'alarmEmail', EMAIL, 'an email address');
  return alarmEmail === undefined ? { senderEmail, schedule } : { senderEmail, schedule, alarmEmail };
}

function requireContext(scope: Construct, key: string, pattern: RegExp, expected: string): string {
  const value = optionalContext(scope, key, pattern, expected);
  if (value === undefined) throw new Error(`Context "${key}" is missing: expected ${expected}`);
  return value;
}

function optionalContext(scope: Construct, key: string, pattern: RegExp, expected: string): string | undefined {
  const value: unknown = scope.node.tryGetContext(key);
  if (value === undefined || value === '') return undefined;
  if (typeof value !== 'string' || !pattern.test(value.trim())) {
    throw new Error(`Context "${key}" is ${JSON.stringify(value)}: expected ${expected}`);
  }
  return value.trim();
}
