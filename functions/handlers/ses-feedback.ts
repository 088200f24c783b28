/**
 * SES feedback Lambda: SES publishes bounce and complaint notifications to an SNS topic; each
 * SNS record's Message is one notification. Permanent bounces and complaints suppress the
 * address (functions/app/suppress.ts). A malformed message is logged and dropped: SNS would
 * retry it to no avail.
 */
import { Logger } from '@aws-lambda-powertools/logger';
import * as z from 'zod';
import { applySuppression, FeedbackError, suppressionOf } from '../app/suppress.ts';
import { createSuppressDeps, runtimeConfigFromEnv } from './runtime.ts';

const logger = new Logger({ serviceName: 'policy-monitor', persistentKeys: { function: 'ses-feedback' } });
const deps = createSuppressDeps(runtimeConfigFromEnv());

const SnsEvent = z.object({ Records: z.array(z.looseObject({ Sns: z.looseObject({ MessageId: z.string().optional(), Message: z.string() }) })) });

export async function handler(event: unknown): Promise<{ suppressed: number }> {
  const { Records } = SnsEvent.parse(event);
  let suppressed = 0;
  for (const record of Records) {
    try {
      const suppression = suppressionOf(record.Sns.Message);
      if (suppression === undefined) continue;
      const marked = await applySuppression(suppression, deps);
      suppressed += marked.length;
      logger.info('Suppressed addresses', { reason: suppression.reason, addresses: suppression.addresses.length, subscriptions: marked.length });
    } catch (error) {
      if (!(error instanceof FeedbackError)) throw error;
      logger.error('Dropped malformed SES feedback', { messageId: record.Sns.MessageId, error });
    }
  }
  return { suppressed };
}
