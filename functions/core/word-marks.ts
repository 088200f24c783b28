/**
 * Before and after of a clause as runs of text, with the words that changed marked, for the
 * email and the diff page to style. Pure.
 */
import { diffWords } from 'diff';
import type { DiffToken } from './types.ts';

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
  const diff: readonly DiffToken[] = usable ? tokens : diffWords(before, after);
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
