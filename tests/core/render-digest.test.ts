import { describe, expect, it } from 'vitest';
import { renderDigestEmail, type DigestEntry } from '../../functions/core/render-digest.ts';

function entry(patch: Partial<DigestEntry> = {}): DigestEntry {
  return {
    policyId: 'acme-privacy',
    policyName: 'Acme <Privacy> Policy',
    viewUrl: 'https://monitor.example.org/v1/changes/c1/view?token=v1',
    change: {
      sectionPath: ['Data retention'],
      previousPath: ['Keeping data'],
      kind: 'renamed',
      categories: ['retention'],
      severity: 'medium',
      before: 'We keep data for 30 days.',
      after: 'We keep data for 12 months.',
      obligations: [],
    },
    ...patch,
  };
}

describe('renderDigestEmail', () => {
  it('groups the changes of one policy under its name, escaped in HTML', () => {
    // Act
    const email = renderDigestEmail({ entries: [entry(), entry({ viewUrl: 'https://monitor.example.org/v1/changes/c2/view?token=v2' })], unsubscribeUrl: 'https://monitor.example.org/v1/unsubscribe?token=u' });
    // Assess
    expect(email.subject).toBe('Policy changes in the last 24 hours: 2 changes in 1 policy');
    expect(email.html.match(/Acme &lt;Privacy&gt; Policy<\/h2>/g)).toHaveLength(1);
    expect(email.html).not.toContain('<Privacy>');
    expect(email.text).toContain('Section: Data retention (was: Keeping data)');
    expect(email.text.match(/Full diff: /g)).toHaveLength(2);
    expect(email.headers).toEqual({ 'List-Unsubscribe': '<https://monitor.example.org/v1/unsubscribe?token=u>', 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' });
  });

  it('refuses an empty digest: no changes means no email', () => {
    expect(() => renderDigestEmail({ entries: [], unsubscribeUrl: 'https://x.example/u' })).toThrow(/at least one change/);
  });
});
