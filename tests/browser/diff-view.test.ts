// What a reader sees, in a real browser (Debian's chromium driven by playwright-core): the diff
// page of a change the engine detected on a seed policy after a material edit, and the email
// that announced it. Screenshots land in test-output/ (gitignored) for a human look.
import { mkdirSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { serve, type ServerType } from '@hono/node-server';
import { chromium, type Browser, type Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MemoryPolicyStore, MemorySnapshotStore } from '../../functions/adapters/memory-store.ts';
import { MemoryNotificationLog } from '../../functions/adapters/notification-log.ts';
import { createApp } from '../../functions/app/api.ts';
import { checkPolicy, type CheckDeps } from '../../functions/app/check-policy.ts';
import { signedViewUrl } from '../../functions/app/link-tokens.ts';
import type { ChangeRecord, OutgoingEmail } from '../../functions/core/ports.ts';
import { materialEdit } from '../../scripts/local/demo-edits.ts';
import { renderPolicyPage } from '../../scripts/local/policy-server.ts';
import { loadSeeds } from '../../scripts/seeds.ts';
import { FakePage, RecordingMailer } from '../app/fakes.ts';

// The evaluate callbacks run in the page; the project's tsconfig has no DOM lib, so declare what they use.
declare const getComputedStyle: (element: unknown) => { backgroundColor: string; color: string };
declare const document: { querySelector(selector: string): unknown; body: { firstElementChild: unknown } };

const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const OUTPUT_DIR = new URL('../../test-output/', import.meta.url);
const POLICY_ID = 'imou-privacy';
const SECRET = 'browser-test-secret';

let browser: Browser;
let server: ServerType;
let baseUrl: string;
let change: ChangeRecord;
let email: OutgoingEmail;
let subscriptions: () => Promise<string[]>;

beforeAll(async () => {
  // Prepare: the seed as its web page, checked once (baseline), edited, checked again (change).
  const seed = loadSeeds().find((candidate) => candidate.policyId === POLICY_ID);
  if (seed === undefined) throw new Error(`seed ${POLICY_ID} missing`);
  const edit = materialEdit(POLICY_ID, seed.text);
  if (edit === undefined) throw new Error(`no material edit for ${POLICY_ID}`);
  const store = new MemoryPolicyStore();
  const snapshots = new MemorySnapshotStore();
  const mailer = new RecordingMailer();
  const page = new FakePage(renderPolicyPage(seed, seed.text));
  await store.putPolicy({ policyId: POLICY_ID, name: seed.name, url: 'https://imou.example/privacy', format: 'html', intervalHours: 12, createdAt: '2024-01-01T00:00:00.000Z', consecutiveFailures: 0, status: 'ok' });
  await store.putSubscription({ subscriptionId: 'reader', email: 'reader@example.org', policies: 'all', categories: 'material', confirmed: true, createdAt: '2024-01-01T00:00:00.000Z' });

  // The server listens first: the links in the email and the pages point at its port.
  let clock = Date.parse('2024-05-02T06:00:00.000Z');
  const now = () => new Date((clock += 1000));
  let app: ReturnType<typeof createApp> | undefined;
  server = await new Promise<ServerType>((resolve) => {
    const started = serve({ fetch: (request) => (app as ReturnType<typeof createApp>).fetch(request), hostname: '127.0.0.1', port: 0 }, () => resolve(started));
  });
  baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const publicBaseUrl = baseUrl;
  app = createApp({ store, snapshots, mailer, now, newId: () => 'unused', publicBaseUrl, linkSecret: async () => SECRET });
  const deps: CheckDeps = {
    store,
    snapshots,
    fetcher: page,
    now,
    notify: { store, notifications: new MemoryNotificationLog(), mailer, newClaimToken: () => `claim-${clock}`, publicBaseUrl, unsubscribeSecret: async () => SECRET },
  };
  await checkPolicy(POLICY_ID, deps);
  page.html = renderPolicyPage(seed, edit.text);
  const result = await checkPolicy(POLICY_ID, deps);
  const [detected] = result.changes;
  if (detected === undefined || mailer.sent[0] === undefined) throw new Error(`the edit produced no change (${result.check?.outcome})`);
  change = detected;
  email = mailer.sent[0];
  subscriptions = async () => (await store.listSubscriptions()).map((subscription) => subscription.email);

  mkdirSync(OUTPUT_DIR, { recursive: true });
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
});

afterAll(async () => {
  await browser?.close();
  await new Promise<void>((resolve) => (server ? server.close(() => resolve()) : resolve()));
});

async function open(url: string, screenshot: string): Promise<Page> {
  const page = await browser.newPage({ viewport: { width: 1200, height: 900 } });
  const response = await page.goto(url);
  expect(response?.status()).toBe(200);
  await page.screenshot({ path: new URL(screenshot, OUTPUT_DIR).pathname, fullPage: true });
  return page;
}

describe('the diff page in a browser', () => {
  it('shows the obligation delta, the clause before and after with changed words marked, and the categories', async () => {
    // Act
    const page = await open(signedViewUrl(baseUrl, SECRET, 'change', change.changeId), 'change-view.png');
    // Assess
    await expect(page.locator('h1').innerText()).resolves.toBe(change.sectionPath.join(' › '));
    await expect(page.locator('.obligations li').first().innerText()).resolves.toBe('Data retention: 7 days → 12 months');
    await expect(page.locator('.before .clause').innerText()).resolves.toContain('API logs are just 7 days.');
    await expect(page.locator('.after .clause').innerText()).resolves.toContain('API logs are 12 months.');
    await expect(page.locator('.before del').allInnerTexts()).resolves.toEqual([expect.stringContaining('7 days')]);
    await expect(page.locator('.after ins').allInnerTexts()).resolves.toEqual([expect.stringContaining('12 months')]);
    expect(await page.locator('.label.category').allInnerTexts()).toContain('retention');
    // Red for removed, green for added: what the reader's eye goes by.
    const [removed, added] = await Promise.all([
      page.locator('.before del').evaluate((node) => getComputedStyle(node).backgroundColor),
      page.locator('.after ins').evaluate((node) => getComputedStyle(node).backgroundColor),
    ]);
    expect(removed).toBe('rgb(248, 180, 180)');
    expect(added).toBe('rgb(168, 230, 176)');
    // Before and after side by side: same row, before on the left.
    const [before, after] = await Promise.all([page.locator('.side.before').boundingBox(), page.locator('.side.after').boundingBox()]);
    expect(before && after && Math.abs(before.y - after.y) < 1 && before.x < after.x).toBe(true);
    // The way on to the policy's timeline works without an API key too.
    await page.locator('a', { hasText: 'All changes of Imou Privacy Policy' }).click();
    await expect(page.locator('h1').innerText()).resolves.toBe('Imou Privacy Policy');
    await page.close();
  });

  it('shows the policy timeline with the change and its categories', async () => {
    const page = await open(signedViewUrl(baseUrl, SECRET, 'policy', POLICY_ID), 'policy-view.png');
    await expect(page.locator('h1').innerText()).resolves.toBe('Imou Privacy Policy');
    await expect(page.locator('.timeline .when').first().innerText()).resolves.toMatch(/^2024-05-02 06:00 UTC · 1 change$/);
    await expect(page.locator('.timeline .change h2').innerText()).resolves.toBe(change.sectionPath.join(' › '));
    expect(await page.locator('.timeline .label.category').allInnerTexts()).toEqual(change.categories);
    await page.close();
  });
});

describe('unsubscribing from a browser', () => {
  it('shows a page for the email\'s unsubscribe link, and its button unsubscribes', async () => {
    // Prepare
    const link = /^<(.+)>$/.exec(email.headers?.['List-Unsubscribe'] ?? '')?.[1] ?? '';
    const page = await open(link, 'unsubscribe-page.png');
    await expect(page.locator('p').first().innerText()).resolves.toBe('Stop emailing reader@example.org about policy changes?');
    // Act: the form posts back under the page's CSP (form-action 'self').
    await Promise.all([page.waitForURL(link), page.locator('button', { hasText: 'Unsubscribe' }).click()]);
    // Assess
    await expect(page.locator('h1').innerText()).resolves.toBe('Unsubscribed');
    await expect(page.locator('p').first().innerText()).resolves.toBe('You will get no more policy-change emails.');
    await expect(subscriptions()).resolves.toEqual([]);
    await page.close();
  });
});

describe('the change email in a browser', () => {
  it('reads: subject, obligation delta first, red before and green after, a link to the diff page', async () => {
    // Act
    const page = await browser.newPage({ viewport: { width: 760, height: 900 } });
    await page.setContent(email.html);
    await page.screenshot({ path: new URL('change-email.png', OUTPUT_DIR).pathname, fullPage: true });
    const text = await page.locator('body').innerText();
    // Assess
    expect(email.subject).toBe('Imou Privacy Policy: retention changed');
    expect(text.indexOf('Data retention: 7 days → 12 months')).toBeGreaterThan(-1);
    expect(text.indexOf('Data retention: 7 days → 12 months')).toBeLessThan(text.indexOf('Before'));
    await expect(page.locator('del').first().innerText()).resolves.toContain('7 days');
    await expect(page.locator('ins').first().innerText()).resolves.toContain('12 months');
    const colours = await page.evaluate(() => ({
      removed: getComputedStyle(document.querySelector('del')).backgroundColor,
      added: getComputedStyle(document.querySelector('ins')).backgroundColor,
      text: getComputedStyle(document.body.firstElementChild).color,
    }));
    expect(colours).toEqual({ removed: 'rgb(248, 180, 180)', added: 'rgb(168, 230, 176)', text: 'rgb(31, 41, 51)' });
    const link = await page.locator('a', { hasText: 'View the full diff' }).getAttribute('href');
    expect(link).toBe(signedViewUrl(baseUrl, SECRET, 'change', change.changeId));
    await page.close();
  });
});
