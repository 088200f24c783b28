/**
 * The vocabulary of the labelled corpus: an edit is a short list of text operations on one seed
 * policy, written the way a policy author revises a clause. Locations are given by quoting the
 * seed text (never by offsets), so an edit reads like a redline and breaks loudly if a seed changes.
 */
import type { Category, Obligation } from '../../../functions/core/types.ts';

/** Seeds are named by the first three characters of their file name ("000_…"). */
export type SeedKey = '000' | '001' | '002' | '003' | '004';

/** Why a cosmetic edit changes no meaning (DESIGN.md §2, "Not material"). */
export const COSMETIC_KINDS = [
  'date',
  'whitespace',
  'quotes',
  'punctuation',
  'case',
  'link',
  'reorder-sections',
  'reorder-list',
  'preamble',
  'typo',
  'wording',
] as const;
export type CosmeticKind = (typeof COSMETIC_KINDS)[number];

/** A deterministic source of choices (see `createRng` in scripts/build-corpus.ts). */
export interface Rng {
  /** A float in [0, 1). */
  next(): number;
  /** An integer in [0, n). */
  int(n: number): number;
  /** One element of a non-empty list. */
  pick<T>(items: readonly T[]): T;
}

/**
 * One text operation. `find`/`anchor` strings match the seed exactly, except that a run of
 * whitespace in them also matches non-breaking spaces and line breaks (the Imou seed is full of
 * U+00A0). Each must match exactly once unless `occurrence` picks one (1-based) or 'all'.
 */
export type TextOp =
  | { op: 'replace'; find: string; by: string; occurrence?: number | 'all' }
  | { op: 'insert-after'; anchor: string; text: string; occurrence?: number }
  | { op: 'insert-before'; anchor: string; text: string; occurrence?: number }
  | { op: 'remove'; find: string; occurrence?: number }
  /** Removes the blank-line-separated paragraph holding `containing`, and a spacer paragraph after it. */
  | { op: 'remove-paragraph'; containing: string }
  /** Removes the line holding `containing` (plain-text seeds where a line is a clause). */
  | { op: 'remove-line'; containing: string }
  /** Swaps the adjacent blocks [first, second) and [second, end). */
  | { op: 'swap-blocks'; first: string; second: string; end: string }
  /** A computed edit (whitespace, quotes) that picks its place with the family's Rng. */
  | { op: 'transform'; apply: (text: string) => string };

export interface EditSpec {
  seed: SeedKey;
  /** What a reviewer would write in the changelog of this revision. */
  description: string;
  ops: TextOp[];
}

export interface MaterialEdit extends EditSpec {
  /** The category a compliance reviewer would file this change under. */
  category: Category;
  /** The typed fact the change should surface, when it has one. */
  obligation?: Obligation['type'];
}

export interface CosmeticEdit extends EditSpec {
  kind: CosmeticKind;
}

/** Hands each family of edits its own Rng, so adding cases to one family never reshuffles another. */
export type RngFactory = (family: string) => Rng;

export const replace = (find: string, by: string, occurrence?: number | 'all'): TextOp => ({ op: 'replace', find, by, ...(occurrence ? { occurrence } : {}) });
export const insertAfter = (anchor: string, text: string, occurrence?: number): TextOp => ({ op: 'insert-after', anchor, text, ...(occurrence ? { occurrence } : {}) });
export const insertBefore = (anchor: string, text: string, occurrence?: number): TextOp => ({ op: 'insert-before', anchor, text, ...(occurrence ? { occurrence } : {}) });
export const remove = (find: string, occurrence?: number): TextOp => ({ op: 'remove', find, ...(occurrence ? { occurrence } : {}) });
export const removeParagraph = (containing: string): TextOp => ({ op: 'remove-paragraph', containing });
export const removeLine = (containing: string): TextOp => ({ op: 'remove-line', containing });
export const swapBlocks = (first: string, second: string, end: string): TextOp => ({ op: 'swap-blocks', first, second, end });
export const transform = (apply: (text: string) => string): TextOp => ({ op: 'transform', apply });
