/**
 * Plays the SQS event source mapping locally: receives check messages from the emulated queue,
 * hands them to the check Lambda's handler as an SQS event, and deletes the ones it did not
 * report as failed (partial batch response). Failed ones become visible again after the
 * queue's visibility timeout, as in AWS.
 */
import { DeleteMessageBatchCommand, ReceiveMessageCommand, type SQSClient } from '@aws-sdk/client-sqs';

export interface SqsBatchHandler {
  (event: { Records: { messageId: string; receiptHandle: string; body: string; eventSource: string }[] }): Promise<{ batchItemFailures: { itemIdentifier: string }[] }>;
}

export interface QueueWorkerOptions {
  sqs: SQSClient;
  queueUrl: string;
  handler: SqsBatchHandler;
  /** Messages per handler call, as the event source's batch size. @default 5 */
  batchSize?: number;
  /** Called after each batch with the policy ids handled and those that failed. */
  onBatch?: (batch: { policyIds: string[]; failedPolicyIds: string[] }) => void;
}

/** Receives and handles batches until a receive comes back empty; returns the messages handled. */
export async function drainQueue(options: QueueWorkerOptions): Promise<number> {
  let handled = 0;
  for (;;) {
    const count = await handleOneBatch(options, 0);
    if (count === 0) return handled;
    handled += count;
  }
}

/** Long-polls the queue until stopped. */
export function startQueueWorker(options: QueueWorkerOptions & { onError?: (error: unknown) => void }): { stop(): Promise<void> } {
  let running = true;
  const loop = (async () => {
    while (running) {
      try {
        await handleOneBatch(options, 1);
      } catch (error) {
        options.onError?.(error);
        await new Promise((resolve) => setTimeout(resolve, 1000));
      }
    }
  })();
  return {
    stop: async () => {
      running = false;
      await loop;
    },
  };
}

async function handleOneBatch(options: QueueWorkerOptions, waitTimeSeconds: number): Promise<number> {
  const { Messages: messages = [] } = await options.sqs.send(
    new ReceiveMessageCommand({ QueueUrl: options.queueUrl, MaxNumberOfMessages: options.batchSize ?? 5, WaitTimeSeconds: waitTimeSeconds }),
  );
  if (messages.length === 0) return 0;
  const records = messages.map((message) => ({
    messageId: message.MessageId as string,
    receiptHandle: message.ReceiptHandle as string,
    body: message.Body ?? '',
    eventSource: 'aws:sqs',
  }));
  const { batchItemFailures } = await options.handler({ Records: records });
  const failed = new Set(batchItemFailures.map((failure) => failure.itemIdentifier));
  const done = records.filter((record) => !failed.has(record.messageId));
  if (done.length > 0) {
    await options.sqs.send(
      new DeleteMessageBatchCommand({
        QueueUrl: options.queueUrl,
        Entries: done.map((record, index) => ({ Id: String(index), ReceiptHandle: record.receiptHandle })),
      }),
    );
  }
  options.onBatch?.({ policyIds: records.map(policyIdOf), failedPolicyIds: records.filter((record) => failed.has(record.messageId)).map(policyIdOf) });
  return records.length;
}

function policyIdOf(record: { body: string }): string {
  try {
    return String((JSON.parse(record.body) as { policyId?: unknown }).policyId ?? '?');
  } catch {
    return '?';
  }
}
