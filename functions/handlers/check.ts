/**
 * Check Lambda: the SQS worker. Each message names one policy; the check fetches, diffs, stores
 * and mails (functions/app/check-policy.ts). Failures are reported per message (partial batch
 * response), so only the failed ones come back: transient fetch failures and unexpected errors.
 * Recorded permanent failures (a refused address, a page that is not the policy) are not retried;
 * the next scheduled check looks again.
 */
import { Logger } from '@aws-lambda-powertools/logger';
// zod's tree-shakable build: two small schemas here, and classic zod's core alone is ~85 KB of
// the bundle every cold start compiles.
import * as z from 'zod/mini';
import { checkPolicy } from '../app/check-policy.ts';
import { HttpPolicyFetcher, fetcherOptionsFromEnv } from '../adapters/http-fetcher.ts';
import { createCheckDeps, runtimeConfigFromEnv } from './runtime.ts';

const logger = new Logger({ serviceName: 'policy-monitor', persistentKeys: { function: 'check' } });
// The use-case assesses each page itself, with the baseline's section count and language.
const fetcher = new HttpPolicyFetcher({ ...fetcherOptionsFromEnv(), validatePage: false });
const deps = createCheckDeps(runtimeConfigFromEnv(), fetcher);

const SqsEvent = z.object({ Records: z.array(z.looseObject({ messageId: z.string(), body: z.string() })) });
const CheckMessage = z.object({ policyId: z.string().check(z.minLength(1)), scheduledAt: z.string() });

/** The partial batch response SQS event sources read (ReportBatchItemFailures). */
export interface SqsBatchResponse {
  batchItemFailures: { itemIdentifier: string }[];
}

export async function handler(event: unknown): Promise<SqsBatchResponse> {
  const { Records } = SqsEvent.parse(event);
  // In parallel: the fetcher already serialises requests to one host and paces them.
  const failed = await Promise.all(
    Records.map(async (record): Promise<string | undefined> => {
      const message = parseMessage(record.body);
      if (message === undefined) {
        // It would fail the same way on every delivery; retrying only delays the DLQ.
        logger.error('Dropped a malformed check message', { messageId: record.messageId, body: record.body.slice(0, 500) });
        return undefined;
      }
      try {
        const result = await checkPolicy(message.policyId, deps, { scheduledAt: message.scheduledAt });
        logger.info('Checked policy', {
          policyId: message.policyId,
          outcome: result.check?.outcome ?? 'policy-deleted',
          reason: result.check?.reason,
          changes: result.changes.length,
          emailsSent: result.emailsSent,
          retry: result.retry,
        });
        return result.retry ? record.messageId : undefined;
      } catch (error) {
        logger.error('Check failed', { policyId: message.policyId, messageId: record.messageId, error: error as Error });
        return record.messageId;
      }
    }),
  );
  return { batchItemFailures: failed.filter((id): id is string => id !== undefined).map((itemIdentifier) => ({ itemIdentifier })) };
}

function parseMessage(body: string): z.infer<typeof CheckMessage> | undefined {
  try {
    const parsed = CheckMessage.safeParse(JSON.parse(body));
    return parsed.success ? parsed.data : undefined;
  } catch {
    return undefined;
  }
}
