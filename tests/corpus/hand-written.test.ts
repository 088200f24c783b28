/**
 * Hand-written before/after pairs with the exact output a compliance reviewer expects. The base is a
 * short but complete Markdown policy (tests/corpus/pairs/base.md); each revision changes one thing
 * and, as real revisions do, bumps the "Last updated" date.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { diffPolicyTexts } from '../../functions/core/engine.ts';
import type { Change, DiffResult } from '../../functions/core/types.ts';

const read = (name: string): string => readFileSync(new URL(`./pairs/${name}`, import.meta.url), 'utf8');
const markdown = { before: { format: 'markdown' as const }, after: { format: 'markdown' as const } };

function diffAgainstBase(revision: string): DiffResult {
  return diffPolicyTexts(read('base.md'), read(revision), markdown);
}

function materialChanges(result: DiffResult): Change[] {
  return result.changes.filter((c) => c.material);
}

describe('hand-written policy revisions', () => {
  it('reports a lengthened chat-log retention period as one retention change from P30D to P12M', () => {
    // Act
    const result = diffAgainstBase('retention-lengthened.md');

    // Assess
    expect(result.material).toBe(true);
    expect(result.effectiveDate).toEqual({ before: '2024-03-01', after: '2024-06-03' });
    const changes = materialChanges(result);
    expect(changes, 'exactly one material change: the retention clause').toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({
      sectionPath: ['How Long We Keep Your Information'],
      kind: 'modified',
      material: true,
      before: 'We retain chat logs for 30 days after they are delivered.',
      after: 'We retain chat logs for 12 months after they are delivered.',
    });
    expect(change!.categories).toContain('retention');
    expect(change!.obligations).toEqual([{ type: 'retention-period', before: 'P30D', after: 'P12M', beforeText: '30 days', afterText: '12 months' }]);
  });

  it('reports a newly named sharing partner as a sharing change adding "Acme Analytics"', () => {
    // Act
    const result = diffAgainstBase('new-partner.md');

    // Assess
    expect(result.material).toBe(true);
    const changes = materialChanges(result);
    expect(changes, 'exactly one material change: the new sharing sentence').toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({
      sectionPath: ['How We Share Information'],
      kind: 'modified',
      material: true,
      before: null,
      after: 'We also share your email address and usage data with Acme Analytics, Inc., which helps us understand how the Services are used.',
    });
    expect(change!.categories).toContain('sharing');
    expect(change!.obligations, 'the partner is named without its corporate suffix').toEqual([{ type: 'third-party', added: ['Acme Analytics'], removed: [] }]);
  });

  it('reports the removed deletion right as a rights change removing "deletion"', () => {
    // Act
    const result = diffAgainstBase('right-removed.md');

    // Assess
    expect(result.material).toBe(true);
    const changes = materialChanges(result);
    expect(changes, 'exactly one material change: the removed sentence').toHaveLength(1);
    const [change] = changes;
    expect(change).toMatchObject({
      sectionPath: ['Your Rights'],
      kind: 'modified',
      material: true,
      before: 'You can ask us to delete your account and your personal information at any time by writing to privacy@chirp.example.',
      after: null,
    });
    expect(change!.categories).toContain('rights');
    expect(change!.obligations).toEqual([{ type: 'right', added: [], removed: ['deletion'] }]);
    expect(change!.severity, 'losing a right is a high-severity change').toBe('high');
  });

  it('raises no alert for a date bump, reflowed whitespace and a moved link, and notes the date change', () => {
    // Act
    const result = diffAgainstBase('cosmetic-only.md');

    // Assess
    expect(result.material).toBe(false);
    expect(materialChanges(result)).toEqual([]);
    expect(result.effectiveDate).toEqual({ before: '2024-03-01', after: '2024-06-03' });
    expect(result.notes).toEqual(['Effective date changed (2024-03-01 → 2024-06-03) with no change to the text.']);
  });
});
