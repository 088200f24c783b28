/**
 * The check queue on SQS: one JSON message per due policy, sent with SendMessageBatch (10 per
 * request, the SQS maximum). A batch can partly fail; failed entries are retried a bounded number
 * of times, and the scheduler fails loudly if some are still unsent, so no policy is skipped silently.
 */
import { SendMessageBatchCommand, SQSClient, type BatchResultErrorEntry } from '@aws-sdk/client-sqs';
import type { CheckMessage, CheckQueue } from '../core/ports.ts';

export interface SqsCheckQueueOptions {
  /**
   * @default a client configured from the environment (AWS_REGION, AWS_ENDPOINT_URL_SQS, …) with
   * `useQueueUrlAsEndpoint: false`; pass the same option to a client of your own for emulators.
   */
  client?: SQSClient;
  queueUrl: string;
  /** Sends per entry, the first included. @default 3 */
  maxAttempts?: number;
  /** Wait before the first retry; doubles on each further one. @default 100 */
  retryDelayMs?: number;
}

/** SQS's limit on entries per SendMessageBatch. */
const BATCH_SIZE = 10;

/** Messages SQS still refused after every attempt. */
export class QueueSendError extends Error {
  override readonly name = 'QueueSendError';

  constructor(readonly failures: { policyId: string; code: string; message?: string; senderFault: boolean }[]) {
    const summary = failures.map((failure) => `${failure.policyId} (${failure.code})`).join(', ');
    super(`Queue send failed: ${failures.length} message(s) not enqueued: ${summary}`);
  }
}

export class SqsCheckQueue implements CheckQueue {
  readonly #client: SQSClient;
  readonly #queueUrl: string;
  readonly #maxAttempts: number;
  readonly #retryDelayMs: number;

  constructor(options: SqsCheckQueueOptions) {
    // The queue is in the client's own region, so the regional endpoint serves it. Emulators hand out
    // queue URLs on hosts that do not resolve (fauxqs: sqs.<region>.localhost), which the SDK would
    // otherwise dial instead of AWS_ENDPOINT_URL_SQS.
    this.#client = options.client ?? new SQSClient({ useQueueUrlAsEndpoint: false });
    this.#queueUrl = options.queueUrl;
    this.#maxAttempts = options.maxAttempts ?? 3;
    this.#retryDelayMs = options.retryDelayMs ?? 100;
    if (!Number.isInteger(this.#maxAttempts) || this.#maxAttempts < 1) throw new RangeError(`maxAttempts must be a positive integer, got ${options.maxAttempts}`);
  }

  async enqueue(messages: CheckMessage[]): Promise<void> {
    const failures: QueueSendError['failures'] = [];
    // Sequential batches: the scheduler is not latency-bound, and this keeps SQS throttling unlikely.
    for (let start = 0; start < messages.length; start += BATCH_SIZE) {
      failures.push(...(await this.#sendBatch(messages.slice(start, start + BATCH_SIZE))));
    }
    if (failures.length > 0) throw new QueueSendError(failures);
  }

  /** Sends one batch, retrying the entries SQS reports as failed; returns those that never made it. */
  async #sendBatch(batch: CheckMessage[]): Promise<QueueSendError['failures']> {
    // Entry ids are positions in the batch, so a failure maps back to its message.
    let pending = batch.map((message, index) => ({ id: String(index), message }));
    const unsent: QueueSendError['failures'] = [];
    for (let attempt = 1; pending.length > 0; attempt++) {
      if (attempt > 1) await sleep(this.#retryDelayMs * 2 ** (attempt - 2));
      const response = await this.#client.send(
        new SendMessageBatchCommand({
          QueueUrl: this.#queueUrl,
          Entries: pending.map(({ id, message }) => ({ Id: id, MessageBody: JSON.stringify(message) })),
        }),
      );
      const errorsById = new Map((response.Failed ?? []).map((entry) => [entry.Id, entry]));
      const failed = pending.filter(({ id }) => errorsById.has(id));
      pending = [];
      for (const entry of failed) {
        const error = errorsById.get(entry.id) as BatchResultErrorEntry;
        // A sender fault (e.g. a malformed entry) fails the same way every time: no retry.
        if (error.SenderFault || attempt === this.#maxAttempts) {
          unsent.push({ policyId: entry.message.policyId, code: error.Code ?? 'unknown', message: error.Message, senderFault: error.SenderFault ?? false });
        } else {
          pending.push(entry);
        }
      }
    }
    return unsent;
  }
}

function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}
