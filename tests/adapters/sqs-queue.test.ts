import { ReceiveMessageCommand, SendMessageBatchCommand, SQSClient, DeleteMessageBatchCommand } from '@aws-sdk/client-sqs';
import { mockClient } from 'aws-sdk-client-mock';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { CheckMessage } from '../../functions/core/ports.ts';
import { QueueSendError, SqsCheckQueue } from '../../functions/adapters/sqs-queue.ts';
import { startEmulators, type Emulators } from '../../scripts/local/emulators.ts';

function messages(count: number): CheckMessage[] {
  return Array.from({ length: count }, (_, index) => ({
    policyId: `policy-${String(index).padStart(2, '0')}`,
    scheduledAt: '2024-05-02T00:00:00.000Z',
  }));
}

describe('SqsCheckQueue on fauxqs', () => {
  let emulators: Emulators;

  beforeAll(async () => {
    emulators = await startEmulators({ queues: ['checks'] });
  });

  afterAll(async () => {
    await emulators?.stop();
  });

  /** Receives (and deletes) until `expected` messages arrived or a receive comes back empty. */
  async function receiveAll(queueUrl: string, expected: number): Promise<CheckMessage[]> {
    const received: CheckMessage[] = [];
    while (received.length < expected) {
      const { Messages = [] } = await emulators.clients.sqs.send(
        new ReceiveMessageCommand({ QueueUrl: queueUrl, MaxNumberOfMessages: 10, WaitTimeSeconds: 0 }),
      );
      if (Messages.length === 0) break;
      received.push(...Messages.map((message) => JSON.parse(message.Body as string) as CheckMessage));
      await emulators.clients.sqs.send(
        new DeleteMessageBatchCommand({
          QueueUrl: queueUrl,
          Entries: Messages.map((message, index) => ({ Id: String(index), ReceiptHandle: message.ReceiptHandle as string })),
        }),
      );
    }
    return received;
  }

  it('enqueues 25 messages that a consumer receives exactly once each', async () => {
    // Prepare
    const queueUrl = emulators.sqs.queueUrls.checks as string;
    const queue = new SqsCheckQueue({ client: emulators.clients.sqs, queueUrl });
    const sent = messages(25);
    // Act
    await queue.enqueue(sent);
    // Assess
    const received = await receiveAll(queueUrl, 25);
    expect(received.sort((a, b) => a.policyId.localeCompare(b.policyId))).toEqual(sent);
    expect(await receiveAll(queueUrl, 1)).toEqual([]);
  });
});

describe('SqsCheckQueue batching and retries', () => {
  // An instance mock: mocking the SQSClient class would also stub the emulator suite's client.
  const client = new SQSClient({ region: 'us-east-1' });
  const sqs = mockClient(client);
  const queueUrl = 'https://sqs.us-east-1.amazonaws.com/123456789012/checks';

  function sentPolicyIds(call: number): string[] {
    const input = sqs.commandCalls(SendMessageBatchCommand)[call]?.args[0].input;
    return (input?.Entries ?? []).map((entry) => (JSON.parse(entry.MessageBody as string) as CheckMessage).policyId);
  }

  it('sends 25 messages in batches of 10, 10 and 5', async () => {
    // Prepare
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Successful: [], Failed: [] });
    const queue = new SqsCheckQueue({ client, queueUrl });
    // Act
    await queue.enqueue(messages(25));
    // Assess
    expect(sqs.commandCalls(SendMessageBatchCommand).map((call) => call.args[0].input.Entries?.length)).toEqual([10, 10, 5]);
    expect(sentPolicyIds(2)).toEqual(['policy-20', 'policy-21', 'policy-22', 'policy-23', 'policy-24']);
  });

  it('sends nothing for an empty list', async () => {
    // Prepare
    sqs.reset();
    const queue = new SqsCheckQueue({ client, queueUrl });
    // Act
    await queue.enqueue([]);
    // Assess
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(0);
  });

  it('retries only the entries SQS failed, until they succeed', async () => {
    // Prepare
    sqs.reset();
    sqs
      .on(SendMessageBatchCommand)
      .resolvesOnce({ Failed: [{ Id: '1', Code: 'InternalError', SenderFault: false }, { Id: '3', Code: 'ServiceUnavailable', SenderFault: false }] })
      .resolvesOnce({ Failed: [{ Id: '3', Code: 'ServiceUnavailable', SenderFault: false }] })
      .resolves({ Failed: [] });
    const queue = new SqsCheckQueue({ client, queueUrl, retryDelayMs: 0 });
    // Act
    await queue.enqueue(messages(4));
    // Assess
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
    expect(sentPolicyIds(1)).toEqual(['policy-01', 'policy-03']);
    expect(sentPolicyIds(2)).toEqual(['policy-03']);
  });

  it('throws QueueSendError naming the policies still failing after the last attempt', async () => {
    // Prepare
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '0', Code: 'InternalError', Message: 'try again', SenderFault: false }] });
    const queue = new SqsCheckQueue({ client, queueUrl, maxAttempts: 3, retryDelayMs: 0 });
    // Act
    const enqueue = queue.enqueue(messages(2));
    // Assess
    await expect(enqueue).rejects.toThrow(new QueueSendError([{ policyId: 'policy-00', code: 'InternalError', message: 'try again', senderFault: false }]));
    await expect(enqueue).rejects.toMatchObject({
      failures: [{ policyId: 'policy-00', code: 'InternalError', message: 'try again', senderFault: false }],
    });
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(3);
  });

  it('does not retry an entry SQS refused as a sender fault', async () => {
    // Prepare
    sqs.reset();
    sqs.on(SendMessageBatchCommand).resolves({ Failed: [{ Id: '1', Code: 'InvalidMessageContents', SenderFault: true }] });
    const queue = new SqsCheckQueue({ client, queueUrl, retryDelayMs: 0 });
    // Act
    const enqueue = queue.enqueue(messages(2));
    // Assess
    await expect(enqueue).rejects.toThrow('Queue send failed: 1 message(s) not enqueued: policy-01 (InvalidMessageContents)');
    expect(sqs.commandCalls(SendMessageBatchCommand)).toHaveLength(1);
  });
});
