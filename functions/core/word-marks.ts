/**
 * Before and after of a clause as runs of text, with the words that changed marked, for the
 * email and the diff page to style. Pure.
 */
import { diffWords } from 'diff';
import type { DiffToken } from './types.ts';

const isSpace = (code: number): boolean => code === 0x20 || code === 0x0a || code === 0x09 || code === 0x0d;

/**
 * jsdiff's `diffWords`, run only on what lies between the two texts' common start and common end
 * (cut at spaces, so no word is split). An edited clause shares most of its words with its old
 * version, and jsdiff's cost grows with the whole length it tokenizes.
 */
export function diffTextWords(before: string, after: string): DiffToken[] {
  const limit = Math.min(before.length, after.length);
  let same = 0;
  while (same < limit && before.charCodeAt(same) === after.charCodeAt(same)) same++;
  let prefix = same;
  // Back to just after a space, unless the whole shorter text matched at a word's end.
  if (!(same === limit && (same === before.length ? isSpace(after.charCodeAt(same)) || same === after.length : isSpace(before.charCodeAt(same))))) {
    while (prefix > 0 && !isSpace(before.charCodeAt(prefix - 1))) prefix--;
  }
  let suffix = 0;
  while (suffix < limit - prefix && before.charCodeAt(before.length - 1 - suffix) === after.charCodeAt(after.length - 1 - suffix)) suffix++;
  // Forward to a space, so the common end starts at a word boundary on both sides.
  while (suffix > 0 && !isSpace(before.charCodeAt(before.length - suffix)) && !(before.length - suffix === prefix && after.length - suffix === prefix)) suffix--;
  if (prefix === 0 && suffix === 0) return wholeDiff(before, after);
  const tokens: DiffToken[] = [];
  for (const token of [{ value: before.slice(0, prefix) }, ...wholeDiff(before.slice(prefix, before.length - suffix), after.slice(prefix, after.length - suffix)), { value: before.slice(before.length - suffix) }]) {
    if (token.value === '') continue;
    const last = tokens.at(-1);
    if (last && !last.added && !last.removed && !token.added && !token.removed) last.value += token.value;
    else tokens.push(token);
  }
  // jsdiff may move a space across a change at the cut; then the whole texts decide.
  return rebuild(tokens, 'added') === before && rebuild(tokens, 'removed') === after ? tokens : wholeDiff(before, after);
}

function wholeDiff(before: string, after: string): DiffToken[] {
  return diffWords(before, after).map((p): DiffToken => ({ value: p.value, ...(p.added ? { added: true } : {}), ...(p.removed ? { removed: true } : {}) }));
}

/** A run of text; `changed` marks words removed (in before) or added (in after). */
export interface MarkedRun {
  text: string;
  changed: boolean;
}

export interface MarkedClauses {
  before: MarkedRun[];
  after: MarkedRun[];
}

/**
 * The clause pair as marked runs. Uses the engine's stored word diff when it rebuilds both texts
 * exactly (it is what classification saw), else computes one with jsdiff's diffWords. A side that
 * is null (section added or removed) is empty; the other side is left unmarked, since every word
 * of it changed and marking all of them says nothing.
 */
export function markChangedWords(before: string | null, after: string | null, tokens?: readonly DiffToken[]): MarkedClauses {
  if (before === null || after === null) {
    return { before: before === null ? [] : [{ text: before, changed: false }], after: after === null ? [] : [{ text: after, changed: false }] };
  }
  const usable = tokens !== undefined && tokens.length > 0 && rebuild(tokens, 'added') === before && rebuild(tokens, 'removed') === after;
  const diff: readonly DiffToken[] = usable ? tokens : diffTextWords(before, after);
  return {
    before: merge(diff.filter((token) => !token.added).map((token) => ({ text: token.value, changed: token.removed === true }))),
    after: merge(diff.filter((token) => !token.removed).map((token) => ({ text: token.value, changed: token.added === true }))),
  };
}

function rebuild(tokens: readonly DiffToken[], skip: 'added' | 'removed'): string {
  return tokens
    .filter((token) => !token[skip])
    .map((token) => token.value)
    .join('');
}

/** Adjacent runs of the same kind as one, so the markup has one <del>/<ins> per changed stretch. */
function merge(runs: MarkedRun[]): MarkedRun[] {
  const merged: MarkedRun[] = [];
  for (const run of runs) {
    const last = merged[merged.length - 1];
    if (last !== undefined && last.changed === run.changed) last.text += run.text;
    else if (run.text !== '') merged.push({ ...run });
  }
  return merged;
}
