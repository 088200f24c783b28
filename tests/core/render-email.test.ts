import { describe, expect, it } from 'vitest';
import { renderAlertEmail, type AlertEmailInput } from '../../functions/core/render-email.ts';

const INPUT: AlertEmailInput = {
  policyName: 'Acme <Privacy> Policy',
  change: {
    sectionPath: ['Data retention'],
    kind: 'modified',
    categories: ['retention'],
    severity: 'high',
    before: 'We keep data for 30 days.',
    after: 'We keep data for 12 months.',
    obligations: [{ type: 'retention-period', before: 'P30D', after: 'P12M', beforeText: '30 days', afterText: '12 months' }],
    diff: [{ value: 'We keep data for ' }, { value: '30 days', removed: true }, { value: '12 months', added: true }, { value: '.' }],
  },
  viewUrl: 'https://monitor.example.org/changes/abc/view',
  unsubscribeUrl: 'https://monitor.example.org/unsubscribe?token=t.s',
};

describe('renderAlertEmail', () => {
  it('names the policy and the categories in the subject', () => {
    const subject = (categories: AlertEmailInput['change']['categories']) => renderAlertEmail({ ...INPUT, change: { ...INPUT.change, categories } }).subject;
    expect(renderAlertEmail(INPUT).subject).toBe('Acme <Privacy> Policy: retention changed');
    expect(subject(['retention', 'sharing'])).toBe('Acme <Privacy> Policy: retention and sharing changed');
    expect(subject(['use', 'sharing', 'sale'])).toBe('Acme <Privacy> Policy: use, sharing and sale changed');
    expect(subject(['use', 'sharing', 'sale', 'children', 'rights'])).toBe('Acme <Privacy> Policy: use, sharing, sale and 2 more changed');
  });

  it('puts the obligation delta before the clause, in both bodies', () => {
    const { text, html } = renderAlertEmail(INPUT);
    expect(text.indexOf('Data retention: 30 days → 12 months')).toBeLessThan(text.indexOf('Before:'));
    expect(html.indexOf('Data retention: 30 days → 12 months')).toBeLessThan(html.indexOf('>Before<'));
    expect(text).toContain('> We keep data for 30 days.\n\nAfter:\n> We keep data for 12 months.');
  });

  it('marks removed words red and added words green, with inline styles only', () => {
    const { html } = renderAlertEmail(INPUT);
    expect(html).toMatch(/<del style="[^"]+">30 days<\/del>/);
    expect(html).toMatch(/<ins style="[^"]+">12 months<\/ins>/);
    expect(html).not.toContain('<style');
  });

  it('escapes text from the policy', () => {
    const { html } = renderAlertEmail(INPUT);
    expect(html).toContain('Acme &lt;Privacy&gt; Policy');
    expect(html).not.toContain('<Privacy>');
  });

  it('links to the diff and offers one-click unsubscribe (RFC 8058)', () => {
    const { html, text, headers } = renderAlertEmail(INPUT);
    expect(html).toContain('href="https://monitor.example.org/changes/abc/view"');
    expect(text).toContain('Unsubscribe: https://monitor.example.org/unsubscribe?token=t.s');
    expect(headers).toEqual({
      'List-Unsubscribe': '<https://monitor.example.org/unsubscribe?token=t.s>',
      'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click',
    });
  });

  it('computes the word marks itself when the stored word diff does not rebuild the clauses', () => {
    const { html } = renderAlertEmail({ ...INPUT, change: { ...INPUT.change, diff: [{ value: 'something else' }] } });
    expect(html).toMatch(/We keep data for <del style="[^"]+">30 days<\/del>\./);
    expect(html).toMatch(/We keep data for <ins style="[^"]+">12 months<\/ins>\./);
  });

  it('shows an added section unmarked on a green background', () => {
    const { html } = renderAlertEmail({ ...INPUT, change: { ...INPUT.change, kind: 'added', before: null, diff: undefined } });
    expect(html).toContain('(no such section)');
    expect(html).toContain('We keep data for 12 months.');
    expect(html).not.toContain('<ins');
  });
});
