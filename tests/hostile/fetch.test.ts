// Hostile pages through the real check use-case: the real HttpPolicyFetcher (small caps, the
// fixture host 127.0.0.1 explicitly allowed), memory stores and a recording mailer. Each case
// takes a good baseline first, then the server turns hostile; the check must record the named
// failure and leave no change, no email, no new snapshot and the baseline as it was.
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { Socket, type AddressInfo } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { HttpPolicyFetcher, type HttpFetcherOptions } from '../../functions/adapters/http-fetcher.ts';
import { checkPolicy, type CheckDeps, type CheckResult } from '../../functions/app/check-policy.ts';
import type { FetchOutcome, FetchRequest, PolicyFetcher, PolicyRecord } from '../../functions/core/ports.ts';
import { policyPage, RecordingMailer } from '../app/fakes.ts';
import { HOSTILE_CASES, type HostileCase, type Respond } from './cases.ts';

// Tripwire: no socket in this file may leave loopback. Names reach net.connect unresolved (the
// fetcher's checked lookup runs inside it); only `.test` names may, which the stub resolver
// answers with loopback (or public + loopback) and the fetcher must refuse before connecting.
const originalConnect = Socket.prototype.connect;
const strayTargets: string[] = [];
beforeAll(() => {
  Socket.prototype.connect = function tripwire(this: Socket, ...args: unknown[]) {
    const [first, second] = args;
    const options = (Array.isArray(first) ? first[0] : typeof first === 'object' ? first : { host: second }) as { host?: string };
    const host = options.host ?? 'localhost';
    if (host !== '127.0.0.1' && !host.endsWith('.test')) {
      strayTargets.push(host);
      process.nextTick(() => this.destroy(new Error(`tripwire: the hostile suite must not connect to ${host}`)));
      return this;
    }
    return (originalConnect as (...connectArgs: unknown[]) => Socket).apply(this, args);
  } as typeof Socket.prototype.connect;
});
afterAll(() => {
  Socket.prototype.connect = originalConnect;
});

let server: Server;
let origin = '';
let port = 0;
/** Per path: the baseline page until the case turns hostile. */
const routes = new Map<string, Respond>();
let robots: string | undefined;
const hits = new Map<string, number>();

beforeAll(async () => {
  server = createServer((request, response) => {
    const path = (request.url ?? '/').split('?')[0] ?? '/';
    hits.set(path, (hits.get(path) ?? 0) + 1);
    if (path === '/robots.txt') {
      if (robots === undefined) response.writeHead(404).end();
      else response.writeHead(200, { 'content-type': 'text/plain' }).end(robots);
      return;
    }
    const respond = routes.get(path);
    if (respond === undefined) response.writeHead(404).end();
    else respond(request, response, { origin, port });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  port = (server.address() as AddressInfo).port;
  origin = `http://127.0.0.1:${port}`;
});
afterAll(() => {
  server.closeAllConnections();
  server.close();
});

/** Small caps so that bombs, floods and drips end in well under a second each. */
const TEST_LIMITS: HttpFetcherOptions = {
  allowHosts: ['127.0.0.1'],
  maxBytes: 256 * 1024,
  maxDecompressedBytes: 1024 * 1024,
  idleTimeoutMs: 250,
  totalTimeoutMs: 1500,
  retries: 1,
  perHostDelayMs: 0,
  // The check assesses the page itself, with the baseline's sections and language (as in Lambda).
  validatePage: false,
  resolver: async (hostname) => {
    if (hostname === 'rebind.test') return [{ address: '127.0.0.1', family: 4 }];
    if (hostname === 'mixed.test') return [{ address: '93.184.216.34', family: 4 }, { address: '127.0.0.1', family: 4 }];
    throw Object.assign(new Error(`getaddrinfo ENOTFOUND ${hostname}`), { code: 'ENOTFOUND' });
  },
};

/** For the good baseline each case starts from: same checks, no tight clocks. */
const SETUP_LIMITS: HttpFetcherOptions = { ...TEST_LIMITS, idleTimeoutMs: 10_000, totalTimeoutMs: 30_000 };

/** A fresh fetcher per check, as a cold Lambda would have (robots.txt read again), closed after. */
class FreshFetcher implements PolicyFetcher {
  readonly sleeps: number[] = [];
  constructor(readonly options: HttpFetcherOptions) {}

  async fetch(request: FetchRequest): Promise<FetchOutcome> {
    const fetcher = new HttpPolicyFetcher({ ...this.options, sleep: async (ms) => void this.sleeps.push(ms) });
    try {
      return await fetcher.fetch(request);
    } finally {
      await fetcher.close();
    }
  }
}

interface Row {
  group: string;
  name: string;
  expected: string;
  recorded: string;
  retry: boolean;
  emails: number;
  changes: number;
  baseline: 'intact' | 'CHANGED';
}
const rows: Row[] = [];

afterAll(() => {
  const lines = rows.map((row) => `| ${row.group} | ${row.name} | ${row.recorded} | ${row.retry ? 'yes' : 'no'} | ${row.changes} | ${row.emails} | ${row.baseline} |`);
  const failed = rows.filter((row) => row.recorded !== row.expected).length;
  console.log(
    [
      `Hostile fetch cases: ${rows.length} run, ${rows.length - failed} recorded the expected failure`,
      '| group | case | recorded reason | redelivered | changes | emails | baseline |',
      '|---|---|---|---|---|---|---|',
      ...lines,
    ].join('\n'),
  );
});

async function runCase(hostile: Pick<HostileCase, 'respond' | 'robots'>, index: number | string, policyPatch: Partial<PolicyRecord> = {}) {
  const path = `/case/${index}`;
  const policy: PolicyRecord = {
    policyId: `hostile-${index}`,
    name: 'Acme Privacy Policy',
    url: `${origin}${path}`,
    intervalHours: 12,
    createdAt: '2024-01-01T00:00:00.000Z',
    consecutiveFailures: 0,
    status: 'ok',
    ...policyPatch,
  };
  const store = new MemoryPolicyStore();
  const snapshots = new MemorySnapshotStore();
  const mailer = new RecordingMailer();
  const fetcher = new FreshFetcher(TEST_LIMITS);
  // The limits under test are the hostile fetch's. The first check of a run loads and compiles
  // the fetcher and the engine, which under load took longer than the 250 ms idle cap.
  const setupFetcher = new FreshFetcher(SETUP_LIMITS);
  await store.putPolicy(policy);
  await store.putSubscription({ subscriptionId: 'reader', email: 'reader@example.org', policies: 'all', categories: 'material', confirmed: true, createdAt: policy.createdAt });
  let clock = Date.parse('2024-05-02T06:00:00.000Z');
  const deps: CheckDeps = {
    store,
    snapshots,
    fetcher,
    now: () => new Date((clock += 1000)),
    confirm: { delayMs: 60_000, sleep: async () => {} },
    notify: {
      store,
      notifications: new MemoryNotificationLog(),
      mailer,
      newClaimToken: () => `token-${clock}`,
      publicBaseUrl: 'https://monitor.example.org',
      unsubscribeSecret: async () => 'secret',
    },
  };

  // Prepare: a good baseline.
  robots = undefined;
  routes.set(path, (_request, response) => void response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(policyPage()));
  const first = await checkPolicy(policy.policyId, { ...deps, fetcher: setupFetcher }, { scheduledAt: 'first' });
  expect(first.check?.outcome, `baseline setup: ${JSON.stringify(first.check)}`).toBe('baseline');
  const baseline = await store.getPolicy(policy.policyId);
  const baselineKeys = snapshots.keys();
  const baselineSections = await snapshots.getNormalized(policy.policyId, baseline?.baselineSnapshotId ?? '');

  // Act: the server turns hostile.
  robots = hostile.robots;
  routes.set(path, hostile.respond);
  const result: CheckResult = await checkPolicy(policy.policyId, deps, { scheduledAt: 'second' });
  routes.delete(path);

  const after = await store.getPolicy(policy.policyId);
  const changes = (await store.listChanges(policy.policyId)).items;
  const intact =
    after?.baselineSnapshotId === baseline?.baselineSnapshotId &&
    after?.lastSnapshotId === baseline?.lastSnapshotId &&
    JSON.stringify(snapshots.keys()) === JSON.stringify(baselineKeys) &&
    JSON.stringify(await snapshots.getNormalized(policy.policyId, baseline?.baselineSnapshotId ?? '')) === JSON.stringify(baselineSections);
  return { result, after, changes, mailer, fetcher, intact, store, policy };
}

describe('hostile pages: a recorded fetch failure, never a change, never an email', () => {
  HOSTILE_CASES.forEach((hostile, index) => {
    it(`${hostile.group}: ${hostile.name} → ${hostile.reason}`, async () => {
      const { result, after, changes, mailer, fetcher, intact, store, policy } = await runCase(hostile, index);
      rows.push({
        group: hostile.group,
        name: hostile.name,
        expected: hostile.reason,
        recorded: result.check?.reason ?? result.check?.outcome ?? 'none',
        retry: result.retry,
        emails: mailer.sent.length,
        changes: changes.length,
        baseline: intact ? 'intact' : 'CHANGED',
      });

      // Assess: the named failure, recorded on the check and on the policy.
      expect(result.check).toMatchObject({ outcome: 'failed', reason: hostile.reason });
      expect(result.check?.notes?.[0]).toEqual(expect.any(String));
      expect(result.retry).toBe(hostile.retry);
      expect(after).toMatchObject({ status: 'failing', consecutiveFailures: 1, lastFailure: { reason: hostile.reason } });
      const checkedAt = Date.parse(result.check?.checkedAt ?? '');
      expect(after?.retryAfter).toBe(hostile.retryAfterSeconds === undefined ? undefined : new Date(checkedAt + hostile.retryAfterSeconds * 1000).toISOString());
      expect((await store.listChecks(policy.policyId)).items.map((check) => check.outcome)).toEqual(['failed', 'baseline']);
      // Nothing else: no change, no email, no snapshot, the baseline untouched.
      expect(result.changes).toEqual([]);
      expect(changes).toEqual([]);
      expect(mailer.sent).toEqual([]);
      expect((await store.listSnapshots(policy.policyId)).items).toHaveLength(1);
      expect(intact).toBe(true);
      // Retry-After beyond the in-process cap is handed to the queue, never slept on.
      expect(fetcher.sleeps.every((ms) => ms <= 10_000)).toBe(true);
    });
  });

  it('runs at least 30 cases and never lets a socket leave loopback', () => {
    expect(HOSTILE_CASES.length).toBeGreaterThanOrEqual(30);
    expect(strayTargets).toEqual([]);
  });

  it('lists every case with its reason in tests/hostile/README.md', () => {
    const readme = readFileSync(new URL('./README.md', import.meta.url), 'utf8');
    const missing = HOSTILE_CASES.filter((hostile, index) => !readme.includes(`| ${index + 1} | ${hostile.group} | ${hostile.name} | \`${hostile.reason}\` | ${hostile.retry ? 'yes' : 'no'} |`));
    expect(missing.map((hostile) => hostile.name)).toEqual([]);
  });
});

describe('robots.txt opt-out', () => {
  it('fetches a policy whose owner agreed to monitoring although robots.txt disallows it', async () => {
    // Prepare
    const robotsCase = HOSTILE_CASES.find((hostile) => hostile.reason === 'robots');
    if (robotsCase === undefined) throw new Error('the robots case is missing');
    // Act
    const { result, after, mailer } = await runCase(robotsCase, 'robots-opt-out', { ignoreRobots: true });
    // Assess
    expect(result.check?.outcome).toBe('unchanged');
    expect(after).toMatchObject({ status: 'ok', consecutiveFailures: 0 });
    expect(mailer.sent).toEqual([]);
  });
});

describe('the production fetcher configuration', () => {
  it('refuses the 127.0.0.1 fixture host that the tests allow, without sending it a request', async () => {
    // Prepare: no allowHosts, as in the deployed check function.
    const path = '/production';
    routes.set(path, (_request, response) => void response.writeHead(200, { 'content-type': 'text/html' }).end(policyPage()));
    hits.clear();
    const store = new MemoryPolicyStore();
    await store.putPolicy({
      policyId: 'production',
      name: 'Acme',
      url: `${origin}${path}`,
      intervalHours: 12,
      createdAt: '2024-01-01T00:00:00.000Z',
      consecutiveFailures: 0,
      status: 'ok',
    });
    const fetcher = new HttpPolicyFetcher({ validatePage: false });
    const mailer = new RecordingMailer();
    // Act
    const result = await checkPolicy('production', {
      store,
      snapshots: new MemorySnapshotStore(),
      fetcher,
      now: () => new Date('2024-05-02T06:00:00.000Z'),
      notify: { store, notifications: new MemoryNotificationLog(), mailer, newClaimToken: () => 't', publicBaseUrl: '', unsubscribeSecret: async () => 's' },
    });
    await fetcher.close();
    // Assess
    expect(result.check).toMatchObject({ outcome: 'failed', reason: 'refused-address', notes: [`Fetch failed: refused-address: 127.0.0.1 is loopback (${origin}${path})`] });
    expect(result.retry).toBe(false);
    expect(hits.size).toBe(0);
    expect(mailer.sent).toEqual([]);
  });
});
