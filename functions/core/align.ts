/**
 * Pairs baseline sections with current sections, strongest evidence first:
 * same heading trail (id) → same text (hash) → similar heading → similar text.
 * What pairs by text but not by heading is reported as renamed or moved, never as remove + add.
 */
import type { Section } from './types.ts';
import { foldText, setSimilarity, stripNumbering, wordSet, wordSimilarity } from './text.ts';

export type PairKind = 'same' | 'modified' | 'renamed' | 'moved' | 'added' | 'removed';

export interface SectionPair {
  kind: PairKind;
  before?: Section;
  after?: Section;
}

/** Heading similarity needed to pair on headings (with some shared text). */
const HEADING_MATCH = 0.75;
const HEADING_MATCH_MIN_TEXT = 0.3;
/** Text similarity needed to pair on text alone. */
const TEXT_MATCH = 0.5;

// Word sets are cached per section: the text stage compares every unmatched pair.
const wordSets = new WeakMap<Section, Set<string>>();
function wordsOf(section: Section): Set<string> {
  let words = wordSets.get(section);
  if (!words) wordSets.set(section, (words = wordSet(section.text)));
  return words;
}

function textSimilarity(b: Section, a: Section): number {
  return setSimilarity(wordsOf(b), wordsOf(a));
}

function headingKey(section: Section): string {
  return foldText(stripNumbering(section.heading));
}

function parentKey(section: Section): string {
  return section.path.slice(0, -1).map((p) => foldText(stripNumbering(p))).join('/');
}

/** How a pair matched on anything but its id differs: a new heading, or a new place. */
function relocationKind(before: Section, after: Section): PairKind {
  if (before.untitled || after.untitled) return before.hash === after.hash ? 'same' : 'modified';
  if (headingKey(before) !== headingKey(after)) return 'renamed';
  if (parentKey(before) !== parentKey(after)) return 'moved';
  return before.hash === after.hash ? 'same' : 'modified';
}

function pairGreedily(
  before: Section[],
  after: Section[],
  score: (b: Section, a: Section) => number,
  threshold: number,
): Array<[Section, Section]> {
  const candidates: Array<{ b: number; a: number; s: number }> = [];
  before.forEach((b, bi) =>
    after.forEach((a, ai) => {
      const s = score(b, a);
      if (s >= threshold) candidates.push({ b: bi, a: ai, s });
    }),
  );
  candidates.sort((x, y) => y.s - x.s || x.b - y.b || x.a - y.a);
  const usedB = new Set<number>();
  const usedA = new Set<number>();
  const pairs: Array<[Section, Section]> = [];
  for (const c of candidates) {
    if (usedB.has(c.b) || usedA.has(c.a)) continue;
    usedB.add(c.b);
    usedA.add(c.a);
    pairs.push([before[c.b]!, after[c.a]!]);
  }
  return pairs;
}

/** Aligns two versions' sections; every section appears in exactly one pair. */
export function alignSections(before: Section[], after: Section[]): SectionPair[] {
  const pairs: SectionPair[] = [];
  const beforeById = new Map(before.map((s) => [s.id, s]));
  let restAfter: Section[] = [];
  const matchedBefore = new Set<Section>();

  for (const a of after) {
    const b = beforeById.get(a.id);
    if (b && !matchedBefore.has(b)) {
      matchedBefore.add(b);
      pairs.push({ kind: b.hash === a.hash ? 'same' : 'modified', before: b, after: a });
    } else {
      restAfter.push(a);
    }
  }
  let restBefore = before.filter((b) => !matchedBefore.has(b));

  const stages: Array<[(b: Section, a: Section) => number, number]> = [
    [(b, a) => (b.hash === a.hash && b.text !== '' ? 1 : 0), 1],
    [
      (b, a) => {
        const h = wordSimilarity(headingKey(b), headingKey(a));
        return h >= HEADING_MATCH && textSimilarity(b, a) >= HEADING_MATCH_MIN_TEXT ? h : 0;
      },
      HEADING_MATCH,
    ],
    [textSimilarity, TEXT_MATCH],
  ];
  for (const [score, threshold] of stages) {
    if (restBefore.length === 0 || restAfter.length === 0) break;
    const matched = pairGreedily(restBefore, restAfter, score, threshold);
    for (const [b, a] of matched) pairs.push({ kind: relocationKind(b, a), before: b, after: a });
    const pairedB = new Set(matched.map(([b]) => b));
    const pairedA = new Set(matched.map(([, a]) => a));
    restBefore = restBefore.filter((b) => !pairedB.has(b));
    restAfter = restAfter.filter((a) => !pairedA.has(a));
  }

  for (const b of restBefore) pairs.push({ kind: 'removed', before: b });
  for (const a of restAfter) pairs.push({ kind: 'added', after: a });
  return pairs;
}
