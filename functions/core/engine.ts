/**
 * The engine's entry points: parse → segment → (align → diff → classify). Pure: text in, data out.
 */
import { classifyClause } from './classify.ts';
import { diffSections } from './diff.ts';
import { parseDocument, type ParseOptions } from './parse.ts';
import { hashSectionText, splitSections } from './sections.ts';
import type { BaselineSection, Category, DiffResult, PolicyDocument, Section, StructuredBaseline } from './types.ts';

/**
 * Version of what `readPolicy` makes of a page. Bump it whenever parsing or segmentation reads the
 * same input differently (`npm run baseline` rewriting the seeds' baselines is the sign): stored
 * snapshots of another version are read again from their raw page before they are compared, so an
 * engine upgrade never shows up as a change of every tracked policy.
 */
export const ENGINE_VERSION = 2;

/** A parsed and segmented version of a policy. */
export interface PolicyVersion {
  document: PolicyDocument;
  sections: Section[];
}

/** Parses and segments one version. */
export function readPolicy(input: string, options: ParseOptions = {}): PolicyVersion {
  const document = parseDocument(input, options);
  return { document, sections: splitSections(document) };
}

/** Categories a whole section is about (its clauses', plus its heading trail's). */
export function sectionCategories(section: Section): Category[] {
  return classifyClause(`${section.heading}. ${section.text}`, section.path);
}

/** The structured baseline of a version, as stored and as printed by `policy-monitor baseline`. */
export function buildBaseline(version: PolicyVersion): StructuredBaseline {
  return {
    title: version.document.title,
    effectiveDate: version.document.effectiveDate ?? null,
    sections: version.sections.map(
      (s): BaselineSection => ({ id: s.id, path: s.path, heading: s.heading, level: s.level, text: s.text, categories: sectionCategories(s), ...(s.untitled ? { untitled: true } : {}) }),
    ),
  };
}

/** Sections of a stored structured baseline, hashes recomputed (the stored form omits them). */
export function sectionsFromBaseline(baseline: StructuredBaseline): Section[] {
  return baseline.sections.map((s) => ({
    id: s.id,
    path: s.path,
    heading: s.heading,
    level: s.level,
    text: s.text,
    hash: hashSectionText(s.text),
    ...(s.untitled ? { untitled: true } : {}),
  }));
}

/** Compares the approved version with the current one. */
export function comparePolicies(
  before: { effectiveDate?: string | null; sections: Section[] },
  after: { effectiveDate?: string | null; sections: Section[] },
): DiffResult {
  const changes = diffSections(before.sections, after.sections);
  const effectiveDate = { before: before.effectiveDate ?? null, after: after.effectiveDate ?? null };
  const material = changes.some((c) => c.material);
  const notes: string[] = [];
  const dateChanged = effectiveDate.before !== effectiveDate.after;
  const textChanged = changes.some((c) => !c.cosmetic);
  if (dateChanged && !textChanged) {
    notes.push(`Effective date changed (${effectiveDate.before ?? 'none'} → ${effectiveDate.after ?? 'none'}) with no change to the text.`);
  }
  if (material && !dateChanged && effectiveDate.after) {
    notes.push(`The text changed but the effective date (${effectiveDate.after}) was not updated.`);
  }
  return { material, effectiveDate, changes, notes };
}

/** Convenience for the CLI, tests and benchmarks: two inputs in, the diff out. */
export function diffPolicyTexts(beforeText: string, afterText: string, options: { before?: ParseOptions; after?: ParseOptions } = {}): DiffResult {
  const before = readPolicy(beforeText, options.before);
  // Same bytes: nothing to do beyond the parse already made (hash short-circuit).
  const after = afterText === beforeText && !options.after ? before : readPolicy(afterText, options.after);
  return comparePolicies(
    { effectiveDate: before.document.effectiveDate ?? null, sections: before.sections },
    { effectiveDate: after.document.effectiveDate ?? null, sections: after.sections },
  );
}
