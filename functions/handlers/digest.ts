/**
 * Digest Lambda: once a day (EventBridge, 07:00 UTC, see infra) mails each subscriber who chose
 * delivery "daily" one email with the last 24 hours' matching changes (functions/app/digest.ts).
 * A failed send throws, so EventBridge's retry sends only the digests not yet sent.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import { sendDailyDigests } from '../app/digest.ts';
import { NotifyError } from '../app/notify.ts';
import { createDigestDeps, runtimeConfigFromEnv } from './runtime.ts';

const logger = new Logger({ serviceName: 'policy-monitor', persistentKeys: { function: 'digest' } });
const deps = createDigestDeps(runtimeConfigFromEnv());

export interface DigestSummary {
  digests: number;
  alreadySent: number;
}

export async function handler(): Promise<DigestSummary> {
  const result = await sendDailyDigests(deps, new Date());
  logger.info('Sent daily digests', { sent: result.sent.length, alreadySent: result.alreadyClaimed.length, failed: result.failed.length });
  if (result.failed.length > 0) throw new NotifyError(result.failed);
  return { digests: result.sent.length, alreadySent: result.alreadyClaimed.length };
}
