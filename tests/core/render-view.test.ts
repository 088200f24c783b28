import { describe, expect, it } from 'vitest';
import type { ChangeRecord, PolicyRecord } from '../../functions/core/ports.ts';
import { renderChangePage, renderPolicyPage } from '../../functions/core/render-view.ts';

const CHANGE: ChangeRecord = {
  changeId: 'c1',
  policyId: 'acme',
  policyName: 'Acme <Privacy>',
  snapshotId: 'b'.repeat(64),
  baselineSnapshotId: 'a'.repeat(64),
  detectedAt: '2024-05-03T06:00:00.000Z',
  sectionId: 'retention',
  sectionPath: ['Data', 'Retention'],
  previousPath: ['Data', 'Keeping data'],
  kind: 'renamed',
  categories: ['retention'],
  material: true,
  severity: 'high',
  before: 'We keep data for 30 days.',
  after: 'We keep data for 12 months.',
  obligations: [{ type: 'retention-period', before: 'P30D', after: 'P12M', beforeText: '30 days', afterText: '12 months' }],
};
const POLICY: PolicyRecord = {
  policyId: 'acme',
  name: 'Acme <Privacy>',
  url: 'https://acme.example/privacy?a=1&b=2',
  intervalHours: 12,
  createdAt: '2024-01-01T00:00:00.000Z',
  consecutiveFailures: 0,
  status: 'ok',
  baselineApproval: { snapshotId: 'a'.repeat(64), approvedBy: 'dpo@example.org', approvedAt: '2024-04-01T09:30:00.000Z', reason: 'Reviewed' },
};

describe('renderChangePage', () => {
  it('reads: section, obligations, then before and after with marked words', () => {
    const html = renderChangePage({ change: CHANGE, policyViewUrl: '/policies/acme/view?token=t' });
    expect(html).toContain('<h1>Data › Retention</h1>');
    expect(html).toContain('<p class="muted">Was: Data › Keeping data</p>');
    expect(html).toContain('<p class="clause">We keep data for <del>30 days</del>.</p>');
    expect(html).toContain('<p class="clause">We keep data for <ins>12 months</ins>.</p>');
    expect(html.indexOf('Data retention: 30 days → 12 months')).toBeLessThan(html.indexOf('class="sides"'));
    expect(html).toContain('Acme &lt;Privacy&gt;');
    expect(html).not.toMatch(/<script|<link|src=/);
  });
});

describe('renderPolicyPage', () => {
  it('names who approved the baseline, escapes the URL, and says when nothing changed', () => {
    const html = renderPolicyPage({ policy: POLICY, changes: [], changeUrl: () => '' });
    expect(html).toContain('Baseline approved by dpo@example.org on 2024-04-01 09:30 UTC: Reviewed');
    expect(html).toContain('href="https://acme.example/privacy?a=1&amp;b=2"');
    expect(html).toContain('No material changes recorded.');
  });

  it('links to older changes when there are more', () => {
    const html = renderPolicyPage({ policy: POLICY, changes: [CHANGE], changeUrl: (id) => `/changes/${id}/view`, olderUrl: '/policies/acme/view?token=t&cursor=x' });
    expect(html).toContain('<a href="/policies/acme/view?token=t&amp;cursor=x">Older changes</a>');
    expect(html).toContain('<a href="/changes/c1/view">Data › Retention</a>');
  });
});
