import { describe, expect, it } from 'vitest';
import { signedViewUrl } from '../../functions/app/link-tokens.ts';
import type { ChangeRecord } from '../../functions/core/ports.ts';
import { apiHarness, LINK_SECRET, POLICY, PUBLIC_BASE_URL } from './api-harness.ts';

const RETENTION: ChangeRecord = {
  changeId: 'c0ffee000000000000000001',
  policyId: POLICY.policyId,
  policyName: POLICY.name,
  snapshotId: 'b'.repeat(64),
  baselineSnapshotId: 'a'.repeat(64),
  detectedAt: '2024-05-03T06:00:00.000Z',
  sectionId: 'data-retention',
  sectionPath: ['Data retention'],
  kind: 'modified',
  categories: ['retention', 'sharing'],
  material: true,
  severity: 'high',
  before: 'We keep your data for 30 days & share it with <nobody>.',
  after: 'We keep your data for 12 months & share it with Acme Analytics.',
  obligations: [
    { type: 'retention-period', before: 'P30D', after: 'P12M', beforeText: '30 days', afterText: '12 months' },
    { type: 'third-party', added: ['Acme Analytics'], removed: [] },
  ],
};
const CHILDREN: ChangeRecord = {
  ...RETENTION,
  changeId: 'c0ffee000000000000000002',
  detectedAt: '2024-04-01T06:00:00.000Z',
  sectionId: 'children',
  sectionPath: ['Children'],
  kind: 'added',
  categories: ['children'],
  before: null,
  after: 'Teens from 13 to 16 need the consent of a parent.',
  obligations: [],
};

async function withChanges() {
  const harness = apiHarness();
  await harness.store.putPolicy(POLICY);
  await harness.store.putChange(RETENTION);
  await harness.store.putChange(CHILDREN);
  const path = (kind: 'change' | 'policy', id: string) => signedViewUrl(PUBLIC_BASE_URL, LINK_SECRET, kind, id).slice(PUBLIC_BASE_URL.length);
  return { ...harness, path };
}

describe('GET /changes/{changeId}/view', () => {
  it('renders the change: obligations, then before and after with the changed words marked and escaped', async () => {
    const { call, path } = await withChanges();
    const response = await call('GET', path('change', RETENTION.changeId));
    const html = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toMatch(/^text\/html/);
    expect(response.headers.get('content-security-policy')).toContain("default-src 'none'");
    expect(html).toContain('<li>Data retention: 30 days → 12 months</li>');
    expect(html).toContain('<li>Third parties added: Acme Analytics</li>');
    expect(html.indexOf('Data retention: 30 days')).toBeLessThan(html.indexOf('aria-label="Before"'));
    expect(html).toContain('<del>30 days</del>');
    expect(html).toContain('<ins>12 months</ins>');
    expect(html).toContain('&lt;nobody&gt;');
    expect(html).not.toContain('<nobody>');
    expect(html).toContain('<span class="label category">retention</span><span class="label category">sharing</span>');
    expect(html).not.toMatch(/<script|https?:\/\/(?!monitor\.example\.org|acme\.example)/);
  });

  it('answers 401 without a token, and 403 with the token of another page', async () => {
    const { call, path } = await withChanges();
    const bare = await call('GET', `/changes/${RETENTION.changeId}/view`);
    const otherToken = path('change', CHILDREN.changeId).split('?')[1];
    const borrowed = await call('GET', `/changes/${RETENTION.changeId}/view?${otherToken}`);
    expect(bare.status).toBe(401);
    expect(await bare.json()).toMatchObject({ error: 'token-required' });
    expect(borrowed.status).toBe(403);
    expect(await borrowed.json()).toMatchObject({ error: 'invalid-token' });
  });
});

describe('GET /policies/{id}/view', () => {
  it('shows the timeline newest first, with the obligations summary at the top', async () => {
    const { call, path } = await withChanges();
    const html = await (await call('GET', path('policy', POLICY.policyId))).text();
    expect(html).toContain('<h1>Acme Privacy Policy</h1>');
    expect(html.indexOf('Obligations that changed')).toBeLessThan(html.indexOf('class="timeline"'));
    expect(html.indexOf('2024-05-03 06:00 UTC')).toBeLessThan(html.indexOf('2024-04-01 06:00 UTC'));
    expect(html).toContain('<span class="label kind">section added</span>');
    expect(html).toContain('No such section in the baseline');
    expect(html).toContain(`href="${PUBLIC_BASE_URL}${path('change', CHILDREN.changeId)}"`);
  });

  it('is linked, signed, from GET /policies/{id}', async () => {
    const { call, path } = await withChanges();
    const policy = (await (await call('GET', `/policies/${POLICY.policyId}`)).json()) as { viewUrl: string };
    expect(policy.viewUrl).toBe(`${PUBLIC_BASE_URL}${path('policy', POLICY.policyId)}`);
  });
});

describe('Atom feeds', () => {
  it('lists the newest material changes of every policy, linking their signed diff pages', async () => {
    const { call, path, store } = await withChanges();
    await store.putPolicy({ ...POLICY, policyId: 'other-privacy', name: 'Other Privacy Policy' });
    await store.putChange({ ...RETENTION, changeId: 'c0ffee000000000000000003', policyId: 'other-privacy', policyName: 'Other Privacy Policy', detectedAt: '2024-06-01T00:00:00.000Z' });
    const response = await call('GET', '/feed.atom');
    const xml = await response.text();
    expect(response.status).toBe(200);
    expect(response.headers.get('content-type')).toBe('application/atom+xml; charset=utf-8');
    const titles = [...xml.matchAll(/<entry>\s*<title type="html"><!\[CDATA\[(.*?)\]\]><\/title>/g)].map((match) => match[1]);
    expect(titles).toEqual(['Other Privacy Policy: Data retention (retention, sharing)', 'Acme Privacy Policy: Data retention (retention, sharing)', 'Acme Privacy Policy: Children (children)']);
    expect(xml).toContain(`<id>urn:policy-monitor:change:${RETENTION.changeId}</id>`);
    expect(xml).toContain(`<link href="${PUBLIC_BASE_URL}${path('change', RETENTION.changeId).replace(/&/g, '&amp;')}"/>`);
  });

  it('serves one policy\'s feed, and 404 for an unknown policy', async () => {
    const { call } = await withChanges();
    const xml = await (await call('GET', `/policies/${POLICY.policyId}/feed.atom`)).text();
    expect(xml).toContain('<title>Acme Privacy Policy: changes</title>');
    expect(xml.match(/<entry>/g)).toHaveLength(2);
    expect((await call('GET', '/policies/nope/feed.atom')).status).toBe(404);
  });
});
