/**
 * Aligned section pairs → clause-level changes. Inside a changed section, clauses (sentences and
 * list items) are diffed as units; a clause that disappears here but appears elsewhere in the new
 * version (or the reverse) moved, and is not a change. What is left is classified.
 */
import { diffArrays } from 'diff';
import { alignSections, type SectionPair } from './align.ts';
import { HEADING_RULES } from './category-rules.ts';
import { classifyClause } from './classify.ts';
import { cosmeticReason } from './cosmetic.ts';
import { diffObligations } from './obligations.ts';
import { policyOwnNames } from './third-parties.ts';
import { foldText, setSimilarity, splitClauses, wordSet } from './text.ts';
import { diffTextWords } from './word-marks.ts';
import { NON_MATERIAL_CATEGORIES, type Category, type Change, type ChangeKind, type Obligation, type Section, type Severity } from './types.ts';

/** An obligation delta always carries its category, whatever words the clause used. */
const OBLIGATION_CATEGORY: Record<Obligation['type'], Category> = {
  'retention-period': 'retention',
  'response-deadline': 'rights',
  'age-threshold': 'children',
  'third-party': 'sharing',
  right: 'rights',
  'transfer-country': 'transfers',
};

/** A clause that opens on a pronoun for something said before it ("It is turned off by default."). */
const REFERS_BACK_RE = /^(?:it|this|they|these|those|such)\b/i;

/** Clause similarity above which a removed and an added clause are one edited clause. */
const CLAUSE_PAIRING = 0.4;

interface ClauseEdit {
  before?: string;
  after?: string;
  cosmetic?: string;
}

type ClauseCounts = Map<string, number>;

/** A text's clauses and their folded forms (the keys clauses are compared by). */
interface SplitText {
  clauses: string[];
  keys: string[];
}

/** Splits and folds each distinct text once: counting and diffing both read every changed section. */
function clauseSplitter(): (text: string) => SplitText {
  const cache = new Map<string, SplitText>();
  return (text) => {
    let split = cache.get(text);
    if (!split) {
      const clauses = splitClauses(text);
      cache.set(text, (split = { clauses, keys: clauses.map(foldText) }));
    }
    return split;
  };
}

/** What a section says: a section that appears or disappears also says its heading. */
function contentOf(section: Section, kind: SectionPair['kind']): string {
  return (kind === 'added' || kind === 'removed') && !section.untitled ? `${section.heading}\n${section.text}` : section.text;
}

function countClauses(texts: Iterable<string | undefined>, split: (text: string) => SplitText): ClauseCounts {
  const counts: ClauseCounts = new Map();
  for (const text of texts) {
    if (text === undefined) continue;
    for (const key of split(text).keys) counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return counts;
}

/** Pairs removed with added clauses of one hunk by similarity; the rest stay pure removals/additions. */
function pairHunk(removed: string[], added: string[]): ClauseEdit[] {
  const edits: ClauseEdit[] = [];
  const usedAdded = new Set<number>();
  // Each added clause meets every removed one: fold it into words once.
  const addedWords = added.map(wordSet);
  for (const r of removed) {
    const removedWords = wordSet(r);
    let best = -1;
    let bestScore = CLAUSE_PAIRING;
    addedWords.forEach((words, i) => {
      if (usedAdded.has(i)) return;
      const score = setSimilarity(removedWords, words);
      if (score >= bestScore) [best, bestScore] = [i, score];
    });
    if (best >= 0) {
      usedAdded.add(best);
      const a = added[best]!;
      const cosmetic = cosmeticReason(r, a);
      edits.push({ before: r, after: a, ...(cosmetic ? { cosmetic } : {}) });
    } else {
      edits.push({ before: r });
    }
  }
  added.forEach((a, i) => {
    if (!usedAdded.has(i)) edits.push({ after: a });
  });
  return edits;
}

/** Clause edits between two versions of a section; moved clauses (per global counts) are dropped. */
function editClauses(before: SplitText, after: SplitText, beforeCounts: ClauseCounts, afterCounts: ClauseCounts): ClauseEdit[] {
  const { clauses: b, keys: bKeys } = before;
  const { clauses: a, keys: aKeys } = after;
  const parts = diffArrays(bKeys, aKeys);
  const edits: ClauseEdit[] = [];
  let bi = 0;
  let ai = 0;
  let removed: string[] = [];
  let added: string[] = [];
  const flush = (): void => {
    if (removed.length && added.length && removed.length !== added.length) {
      // The same words split into other sentences or merged ("…, Inc. We share" → "…, Inc.\nWe
      // share"): read the hunk as one text, so a split with a spelling fix stays one cosmetic edit.
      const [joinedBefore, joinedAfter] = [removed.join(' '), added.join(' ')];
      const cosmetic = foldText(joinedBefore) === foldText(joinedAfter) ? 'punctuation' : cosmeticReason(joinedBefore, joinedAfter);
      if (cosmetic) edits.push({ before: joinedBefore, after: joinedAfter, cosmetic });
      else edits.push(...pairHunk(removed, added));
    } else if (removed.length || added.length) edits.push(...pairHunk(removed, added));
    removed = [];
    added = [];
  };
  for (const part of parts) {
    const n = part.count ?? part.value.length;
    if (part.removed) {
      for (let k = 0; k < n; k++, bi++) {
        const key = bKeys[bi]!;
        // Still present as often as before somewhere in the new version: it moved.
        if ((afterCounts.get(key) ?? 0) < (beforeCounts.get(key) ?? 0)) removed.push(b[bi]!);
      }
    } else if (part.added) {
      for (let k = 0; k < n; k++, ai++) {
        const key = aKeys[ai]!;
        if ((afterCounts.get(key) ?? 0) > (beforeCounts.get(key) ?? 0)) added.push(a[ai]!);
      }
    } else {
      flush();
      bi += n;
      ai += n;
    }
  }
  flush();
  return edits;
}

function severityOf(material: boolean, categories: Category[], obligations: Obligation[], kind: ChangeKind): Severity {
  if (!material) return 'low';
  const weakening = obligations.some(
    (o) =>
      (o.type === 'third-party' && o.added.length > 0) ||
      (o.type === 'right' && o.removed.length > 0) ||
      (o.type === 'transfer-country' && o.added.length > 0) ||
      o.type === 'retention-period' ||
      (o.type === 'age-threshold' && (o.before ?? 0) !== (o.after ?? 0)),
  );
  const sensitive = categories.some((c) => c === 'sale' || c === 'biometrics' || c === 'children');
  return weakening || sensitive || kind === 'removed' ? 'high' : 'medium';
}

function changeKind(pair: SectionPair): ChangeKind {
  switch (pair.kind) {
    case 'added':
    case 'removed':
    case 'renamed':
    case 'moved':
      return pair.kind;
    default:
      return 'modified';
  }
}

function buildChange(pair: SectionPair, edits: ClauseEdit[], ownNames: () => readonly string[]): Change {
  const current = pair.after ?? pair.before!;
  const path = current.path;
  const real = edits.filter((e) => !e.cosmetic);
  const beforeText = edits.map((e) => e.before).filter((t): t is string => t !== undefined).join('\n');
  const afterText = edits.map((e) => e.after).filter((t): t is string => t !== undefined).join('\n');
  const kind = changeKind(pair);
  const base = {
    sectionId: pair.before?.id ?? current.id,
    sectionPath: path,
    ...(pair.before && pair.after && pair.before.path.join('/') !== path.join('/') ? { previousPath: pair.before.path } : {}),
    kind,
    before: kind === 'added' ? null : beforeText || null,
    after: kind === 'removed' ? null : afterText || null,
  };
  if (real.length === 0) {
    // Only the heading, the place or cosmetic wording changed.
    const cosmetic = edits[0]?.cosmetic ?? (kind === 'renamed' ? 'heading' : kind === 'moved' || kind === 'added' || kind === 'removed' ? 'reorder' : 'punctuation');
    return { ...base, categories: [], material: false, severity: 'none', obligations: [], cosmetic };
  }
  const categories = new Set<Category>();
  for (const edit of real) {
    for (const clause of [edit.before, edit.after]) if (clause) for (const c of classifyClause(clause, path)) categories.add(c);
  }
  const realBefore = real.map((e) => e.before).filter((t): t is string => t !== undefined).join('\n');
  const realAfter = real.map((e) => e.after).filter((t): t is string => t !== undefined).join('\n');
  const obligations = diffObligations(realBefore || null, realAfter || null, { inRetentionSection: HEADING_RULES.retention.test(path.join(' > ').toLowerCase()), ownNames: ownNames() });
  for (const o of obligations) categories.add(OBLIGATION_CATEGORY[o.type]);
  // A clause too short to speak for itself ("Mobile phone number" in a list), or whose only cue is
  // "contact us", means what its section is about: the whole section, then its heading trail.
  const section = pair.after ?? pair.before!;
  const saysNothingMaterial = (): boolean => [...categories].every((c) => NON_MATERIAL_CATEGORIES.has(c));
  // "It is turned on by default" is about what the section is about, whatever else it says.
  const refersBack = real.some((e) => REFERS_BACK_RE.test(e.after ?? e.before ?? ''));
  if (saysNothingMaterial() || refersBack) for (const c of classifyClause(`${section.heading}. ${section.text}`, path)) categories.add(c);
  if (saysNothingMaterial()) for (const c of classifyClause(path.join('. '), [])) categories.add(c);
  const sorted = [...categories].sort();
  const material = obligations.length > 0 || sorted.some((c) => !NON_MATERIAL_CATEGORIES.has(c));
  return {
    ...base,
    categories: sorted,
    material,
    severity: severityOf(material, sorted, obligations, kind),
    obligations,
    diff: diffTextWords(beforeText, afterText),
  };
}

/** Diffs two versions' sections into clause-level changes (cosmetic ones included, not material). */
export function diffSections(before: Section[], after: Section[]): Change[] {
  const pairs = alignSections(before, after).filter((p) => p.kind !== 'same');
  if (pairs.length === 0) return [];
  // Unchanged sections hold the same clauses on both sides, so only changed ones need counting.
  const split = clauseSplitter();
  const beforeCounts = countClauses(pairs.map((p) => p.before && contentOf(p.before, p.kind)), split);
  const afterCounts = countClauses(pairs.map((p) => p.after && contentOf(p.after, p.kind)), split);
  // The policy's owner is never a recipient of its own data, even named in one added clause; read
  // from the current version once, and only when some clause changed.
  let ownNames: readonly string[] | undefined;
  const owner = (): readonly string[] => (ownNames ??= policyOwnNames(undefined, after.map((s) => s.text).join('\n\n')));
  const changes: Change[] = [];
  for (const pair of pairs) {
    const edits = editClauses(split(pair.before ? contentOf(pair.before, pair.kind) : ''), split(pair.after ? contentOf(pair.after, pair.kind) : ''), beforeCounts, afterCounts);
    if (edits.length === 0 && pair.kind === 'modified') continue;
    changes.push(buildChange(pair, edits, owner));
  }
  return changes;
}
