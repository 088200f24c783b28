// What users rely on: noise stays quiet, real edits come out at clause level with the right label.
import { describe, expect, it } from 'vitest';
import { diffPolicyTexts } from '../../functions/core/engine.ts';

const md = { before: { format: 'markdown' as const }, after: { format: 'markdown' as const } };

const POLICY = `# Acme Privacy Policy

Last updated: March 1, 2024

## Information we collect

We collect your name, email address and payment details when you create an account. We also collect device identifiers automatically.

## How long we keep your data

We retain chat logs for 30 days. Account data is kept as long as your account is active.

## Sharing

We share personal information with our payment processor Stripe to complete transactions. We do not sell your personal information.

## Your rights

You have the right to access your personal data. You have the right to request deletion of your personal data. You can contact our [privacy team](https://acme.example/privacy) at any time.

## Contact

Write to privacy@acme.example.
`;

function edit(from: string, to: string): string {
  if (!POLICY.includes(from)) throw new Error(`fixture does not contain ${from}`);
  return POLICY.replace(from, to);
}

describe('noise', () => {
  it('reports nothing for identical input', () => {
    expect(diffPolicyTexts(POLICY, POLICY, md)).toEqual({ material: false, effectiveDate: { before: '2024-03-01', after: '2024-03-01' }, changes: [], notes: [] });
  });

  it('ignores whitespace, punctuation and case edits', () => {
    const after = edit('We retain chat logs for 30 days.', 'We  RETAIN chat logs for 30 days')
      .replace('name, email address', 'name , email address');
    const result = diffPolicyTexts(POLICY, after, md);
    expect(result.material).toBe(false);
    expect(result.changes).toEqual([]);
  });

  it('reports an effective-date bump on its own field with a note, not as a change', () => {
    const result = diffPolicyTexts(POLICY, edit('March 1, 2024', 'June 9, 2025'), md);
    expect(result.material).toBe(false);
    expect(result.changes).toEqual([]);
    expect(result.effectiveDate).toEqual({ before: '2024-03-01', after: '2025-06-09' });
    expect(result.notes).toEqual(['Effective date changed (2024-03-01 → 2025-06-09) with no change to the text.']);
  });

  it.each(['This policy is effective as of June 9, 2025.', 'Last reviewed: June 9, 2025', 'This notice was last reviewed on 9 June 2025.'])('reads the date line rephrased as %j as the same page date', (line) => {
    const result = diffPolicyTexts(POLICY, edit('Last updated: March 1, 2024', line), md);
    expect(result.changes).toEqual([]);
    expect(result.effectiveDate).toEqual({ before: '2024-03-01', after: '2025-06-09' });
  });

  it('reads a paragraph split after "Inc." with a spelling fix as cosmetic', () => {
    const base = '# Privacy\n\n## Sharing\n\nWe share information with companies that help us run the app, like Amazon Web Services, Inc. We share information with advertisers in agregated form only.\n';
    const after = base.replace('Inc. We share information with advertisers in agregated', 'Inc.\n\nWe share information with advertisers in aggregated');
    const result = diffPolicyTexts(base, after, md);
    expect(result.material).toBe(false);
    expect(result.changes.map((c) => c.cosmetic)).toEqual(['typo']);
  });

  it('ignores a link-target-only edit', () => {
    const result = diffPolicyTexts(POLICY, edit('https://acme.example/privacy', 'https://acme.example/legal/privacy-center'), md);
    expect(result.changes).toEqual([]);
  });

  it('ignores reordered sections', () => {
    const sharing = POLICY.slice(POLICY.indexOf('## Sharing'), POLICY.indexOf('## Your rights'));
    const rights = POLICY.slice(POLICY.indexOf('## Your rights'), POLICY.indexOf('## Contact'));
    const reordered = POLICY.replace(sharing + rights, rights + sharing);
    expect(reordered).not.toBe(POLICY);
    const result = diffPolicyTexts(POLICY, reordered, md);
    expect(result.material).toBe(false);
    expect(result.changes).toEqual([]);
  });

  it('treats a sentence moved to another section as a move, not a removal and an addition', () => {
    const moved = edit(' We do not sell your personal information.', '').replace('Write to privacy@acme.example.', 'Write to privacy@acme.example. We do not sell your personal information.');
    const result = diffPolicyTexts(POLICY, moved, md);
    expect(result.material).toBe(false);
  });

  it('does not alert on a one-letter spelling fix', () => {
    const result = diffPolicyTexts(POLICY, edit('automatically', 'automaticaly'), md);
    expect(result.material).toBe(false);
  });
});

describe('material edits', () => {
  it('reads a clause that opens on "It" by its section too', () => {
    const base = '# Privacy\n\n## Familiar Faces\n\nThe camera can recognise the faces of people you name, using face templates.\n\nIt is turned off by default.\n';
    const result = diffPolicyTexts(base, base.replace('It is turned off by default.', 'It is turned on by default for new cameras.'), md);
    expect(result.material).toBe(true);
    expect(result.changes[0]!.categories).toEqual(expect.arrayContaining(['biometrics', 'rights']));
  });

  it('never reports the policy\'s owner as a new recipient of its own data', () => {
    const base = '# Privacy\n\nLedgerly Ltd ("Ledgerly", "we") runs the Ledgerly app.\n\n## Sharing\n\nWe share payment data with Stripe, Inc. to process payments.\n';
    const after = base.replace('to process payments.', 'to process payments. Ledgerly sends your statements to your bank.');
    const result = diffPolicyTexts(base, after, md);
    expect(result.changes.flatMap((c) => c.obligations)).toEqual([]);
  });

  it('reads a sentence that opens with "Effective <date>," as a clause, not as the page date', () => {
    const after = edit('We do not sell your personal information.', 'We do not sell your personal information.\n\nEffective June 1, 2025, Acme also shares account data with HubSpot.');
    const result = diffPolicyTexts(POLICY, after, md);
    expect(result.material).toBe(true);
    expect(result.effectiveDate).toEqual({ before: '2024-03-01', after: '2024-03-01' });
    expect(result.changes.map((c) => [c.kind, c.sectionPath, c.after])).toEqual([['modified', ['Sharing'], 'Effective June 1, 2025, Acme also shares account data with HubSpot.']]);
    expect(result.changes[0]!.categories).toContain('sharing');
  });

  it('keeps the policy text glued to a short date line', () => {
    const glued = POLICY.replace('Last updated: March 1, 2024\n', 'Last updated: March 1, 2024\nWe collect your name.');
    const result = diffPolicyTexts(glued, glued.replace('We collect your name.', 'We collect your name and age.'), md);
    expect(result.effectiveDate.after).toBe('2024-03-01');
    expect(result.material).toBe(true);
    expect(result.changes.map((c) => c.after)).toEqual(['Last updated: March 1, 2024 We collect your name and age.']);
  });

  it('reads a new sentence in a section by its section when its own cue is only "contact us"', () => {
    const base = '# Privacy\n\n## Security\n\nWe encrypt your data in transit and at rest.\n\n## Contact\n\nWrite to privacy@acme.example.\n';
    const after = base.replace('at rest.', 'at rest. If you think someone got into your account, contact us and we will tell you within 72 hours whether your data was accessed.');
    const result = diffPolicyTexts(base, after, md);
    expect(result.material).toBe(true);
    expect(result.changes.map((c) => [c.sectionPath, c.categories])).toEqual([[['Security'], ['contact', 'security']]]);
  });


  it('reports a retention period change with the exact before and after periods', () => {
    const result = diffPolicyTexts(POLICY, edit('We retain chat logs for 30 days.', 'We retain chat logs for 12 months.'), md);
    expect(result.material).toBe(true);
    expect(result.changes).toHaveLength(1);
    const [change] = result.changes;
    expect(change).toMatchObject({
      sectionPath: ['How long we keep your data'],
      kind: 'modified',
      material: true,
      before: 'We retain chat logs for 30 days.',
      after: 'We retain chat logs for 12 months.',
    });
    expect(change!.categories).toContain('retention');
    expect(change!.obligations).toEqual([{ type: 'retention-period', before: 'P30D', after: 'P12M', beforeText: '30 days', afterText: '12 months' }]);
    expect(result.notes).toEqual(['The text changed but the effective date (2024-03-01) was not updated.']);
  });

  it('reports a removed right as a removal in the rights category', () => {
    const result = diffPolicyTexts(POLICY, edit(' You have the right to request deletion of your personal data.', ''), md);
    const [change] = result.changes;
    expect(result.material).toBe(true);
    expect(change).toMatchObject({ sectionPath: ['Your rights'], before: 'You have the right to request deletion of your personal data.', after: null });
    expect(change!.categories).toContain('rights');
    expect(change!.obligations).toContainEqual({ type: 'right', added: [], removed: ['deletion'] });
  });

  it('reports a new third party in a sharing clause', () => {
    const result = diffPolicyTexts(POLICY, edit('to complete transactions.', 'to complete transactions, and with Acme Analytics to measure engagement.'), md);
    const [change] = result.changes;
    expect(result.material).toBe(true);
    expect(change!.categories).toContain('sharing');
    expect(change!.obligations).toContainEqual({ type: 'third-party', added: ['Acme Analytics'], removed: [] });
  });

  it('reports a new section as added with its text', () => {
    const result = diffPolicyTexts(POLICY, edit('## Contact', '## Biometric data\n\nWe use facial recognition to verify your identity and keep face templates for one year.\n\n## Contact'), md);
    const added = result.changes.find((c) => c.kind === 'added')!;
    expect(added.sectionPath).toEqual(['Biometric data']);
    expect(added.before).toBeNull();
    expect(added.categories).toContain('biometrics');
    expect(added.material).toBe(true);
    expect(added.severity).toBe('high');
  });

  it('reports a renamed heading with unchanged text as renamed, not removed and added', () => {
    const result = diffPolicyTexts(POLICY, edit('## How long we keep your data', '## How long we keep your information'), md);
    expect(result.changes).toHaveLength(1);
    expect(result.changes[0]).toMatchObject({ kind: 'renamed', material: false, cosmetic: 'heading', previousPath: ['How long we keep your data'], sectionPath: ['How long we keep your information'] });
  });

  it('keeps the baseline section id for a renamed section and reports its edits', () => {
    const after = edit('## How long we keep your data', '## Data retention').replace('30 days', '90 days');
    const [change] = diffPolicyTexts(POLICY, after, md).changes;
    expect(change).toMatchObject({ kind: 'renamed', sectionId: 'how-long-we-keep-your-data', material: true });
    expect(change!.obligations).toEqual([{ type: 'retention-period', before: 'P30D', after: 'P90D', beforeText: '30 days', afterText: '90 days' }]);
  });

  it('does not treat a changed sale sentence in a moved section as a move', () => {
    const result = diffPolicyTexts(POLICY, edit('We do not sell your personal information.', 'We may sell your personal information to advertising partners.'), md);
    expect(result.material).toBe(true);
    expect(result.changes[0]!.categories).toContain('sale');
  });
});
