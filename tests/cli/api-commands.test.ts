// `policy-monitor policies|subscriptions` as users run them: a real process against the API app
// served on 127.0.0.1, behind a key check like API Gateway's.
import { execFile } from 'node:child_process';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { serve, type ServerType } from '@hono/node-server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { createApp } from '../../functions/app/api.ts';
import { RecordingMailer } from '../app/fakes.ts';

const BIN = fileURLToPath(new URL('../../bin/policy-monitor.js', import.meta.url));
const API_KEY = 'test-api-key';

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', POLICY_MONITOR_API: '', POLICY_MONITOR_API_KEY: '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const store = new MemoryPolicyStore();
const mailer = new RecordingMailer();
let server: ServerType;
let api = '';
let ids = 0;

beforeAll(async () => {
  const app = createApp({
    store,
    snapshots: new MemorySnapshotStore(),
    mailer,
    now: () => new Date('2024-05-02T00:00:00.000Z'),
    newId: () => `sub-${++ids}`,
    publicBaseUrl: 'http://127.0.0.1:9',
    linkSecret: async () => 'secret',
  });
  server = await new Promise<ServerType>((resolve) => {
    const started = serve(
      {
        // What API Gateway answers without the key: 403 and its own JSON.
        fetch: (request) => (request.headers.get('x-api-key') === API_KEY ? app.fetch(request) : Response.json({ message: 'Forbidden' }, { status: 403 })),
        hostname: '127.0.0.1',
        port: 0,
      },
      () => resolve(started),
    );
  });
  api = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('policy-monitor policies', () => {
  it('adds a policy through the API and lists it', async () => {
    // Act
    const added = await run(['policies', 'add', 'https://acme.example/privacy', '--name', 'Acme Privacy Policy', '--interval-hours', '6', '--api', api, '--api-key', API_KEY]);
    const listed = await run(['policies', 'list'], { POLICY_MONITOR_API: api, POLICY_MONITOR_API_KEY: API_KEY });
    const json = await run(['policies', 'list', '--json', '--api', api, '--api-key', API_KEY]);
    // Assess
    expect(added).toEqual({ code: 0, stdout: 'Tracking acme-privacy-policy (https://acme.example/privacy), checked every 6 h\n', stderr: '' });
    expect(listed.code).toBe(0);
    expect(listed.stdout.split('\n')[0]).toMatch(/^ID\s+STATUS\s+LAST CHECKED\s+NAME\s+URL$/);
    expect(listed.stdout).toMatch(/acme-privacy-policy\s+ok\s+never\s+Acme Privacy Policy\s+https:\/\/acme\.example\/privacy/);
    expect(JSON.parse(json.stdout)).toEqual([expect.objectContaining({ policyId: 'acme-privacy-policy', intervalHours: 6 })]);
  });

  it('reports the API\'s error in one line and exits 1', async () => {
    const again = await run(['policies', 'add', 'https://acme.example/privacy', '--name', 'Acme Privacy Policy', '--api', api, '--api-key', API_KEY]);
    const badUrl = await run(['policies', 'add', 'ftp://acme.example/privacy', '--name', 'Other', '--api', api, '--api-key', API_KEY]);
    expect(again).toEqual({ code: 1, stdout: '', stderr: 'policy-monitor: API 409 conflict: A policy "acme-privacy-policy" exists already\n' });
    expect(badUrl.code).toBe(1);
    expect(badUrl.stderr).toMatch(/^policy-monitor: API 422 invalid-body: body\.url: /);
  });

  it('says what is missing without an API, and passes API Gateway\'s refusal on without a key', async () => {
    const noApi = await run(['policies', 'list']);
    const noKey = await run(['policies', 'list', '--api', api]);
    expect(noApi).toEqual({ code: 1, stdout: '', stderr: 'policy-monitor: no API to talk to: pass --api <url> or set POLICY_MONITOR_API\n' });
    expect(noKey).toEqual({ code: 1, stdout: '', stderr: 'policy-monitor: API 403: Forbidden\n' });
  });
});

describe('policy-monitor subscriptions', () => {
  it('subscribes an address (which gets a confirmation email) and lists it as pending', async () => {
    // Act
    const added = await run(['subscriptions', 'add', 'reader@example.org', '--category', 'retention', '--category', 'sharing', '--api', api, '--api-key', API_KEY]);
    const listed = await run(['subscriptions', 'list', '--api', api, '--api-key', API_KEY]);
    // Assess
    expect(added).toEqual({ code: 0, stdout: 'Subscription sub-1: confirmation email sent to reader@example.org\n', stderr: '' });
    expect(mailer.sent.map((email) => [email.to, email.subject])).toContainEqual(['reader@example.org', 'Confirm your policy-change alerts']);
    expect(listed.stdout).toMatch(/sub-1\s+pending\s+reader@example\.org\s+all\s+retention,sharing/);
  });

  it('subscribes an address to the daily digest with --daily', async () => {
    // Act
    const added = await run(['subscriptions', 'add', 'daily@example.org', '--daily', '--json', '--api', api, '--api-key', API_KEY]);
    // Assess
    expect(added.code).toBe(0);
    expect(JSON.parse(added.stdout)).toMatchObject({ email: 'daily@example.org', delivery: 'daily', confirmed: false });
    const confirmation = mailer.sent.find((email) => email.to === 'daily@example.org');
    expect(confirmation?.text).toContain('every material change of every tracked policy, in one digest a day.');
  });

  it('refuses an unknown category before calling the API', async () => {
    const result = await run(['subscriptions', 'add', 'reader@example.org', '--category', 'weather', '--api', api, '--api-key', API_KEY]);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("option '--category <category>' argument 'weather' is invalid. unknown category");
  });
});
