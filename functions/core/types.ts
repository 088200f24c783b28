/**
 * The engine's data model (see DESIGN.md §2). Everything here is plain data: it crosses the
 * Lambda/S3/DynamoDB boundary as JSON, so no classes, no Dates (ISO strings instead).
 */

/** Fixed category vocabulary, adapted from the OPP-115 privacy-policy taxonomy. */
export const CATEGORIES = [
  'collection',
  'use',
  'sharing',
  'sale',
  'retention',
  'rights',
  'children',
  'transfers',
  'security',
  'biometrics',
  'tracking',
  'legal-basis',
  'policy-changes',
  'contact',
] as const;
export type Category = (typeof CATEGORIES)[number];

/** Categories whose changes are not material by default. */
export const NON_MATERIAL_CATEGORIES: ReadonlySet<Category> = new Set<Category>(['contact']);

export type InputFormat = 'html' | 'markdown' | 'text';

/** One unit of reading order after normalization. */
export interface Block {
  /** `line` is a plain-text line whose role (heading or paragraph) the segmenter decides. */
  kind: 'heading' | 'paragraph' | 'list-item' | 'line';
  /** Normalized text: entities decoded, quotes and whitespace unified, link URLs dropped. */
  text: string;
  /** Heading level (1 = document title) when `kind` is `heading`. */
  level?: number;
  /** True when the block was emphasised as a whole (`**X**`, `<b>X</b>`): a strong heading hint. */
  emphasised?: boolean;
  /** Blank lines before this block in plain text (2+ marks a stronger break). */
  gapBefore?: number;
}

/** A parsed policy: the input of segmentation. */
export interface PolicyDocument {
  title: string;
  /** ISO date (YYYY-MM-DD) of the "last updated / effective" line, when the policy states one. */
  effectiveDate?: string;
  blocks: Block[];
}

/** A heading and the text under it, up to the next heading of the same or a higher level. */
export interface Section {
  /** Stable across versions: derived from the normalized heading trail, not from position. */
  id: string;
  /** Heading trail from the top (document title excluded). */
  path: string[];
  heading: string;
  level: number;
  /** Body text: paragraphs joined by "\n\n", list items prefixed with "- ". */
  text: string;
  /** Hash of the normalized (case/punctuation/whitespace-folded) text; equal hash = nothing to diff. */
  hash: string;
  /** No heading in the source: `heading` is the section's first words (sparse, prose-only policies). */
  untitled?: boolean;
}

/** A section as stored in a structured baseline (`policy-monitor baseline --json`). */
export interface BaselineSection {
  id: string;
  path: string[];
  heading: string;
  level: number;
  text: string;
  categories: Category[];
  untitled?: boolean;
}

export interface StructuredBaseline {
  title: string;
  effectiveDate: string | null;
  sections: BaselineSection[];
}

/** A typed fact pulled from clause text, as a before/after delta. */
export type Obligation =
  | { type: 'retention-period'; before: string | null; after: string | null; beforeText?: string; afterText?: string }
  | { type: 'response-deadline'; before: string | null; after: string | null; beforeText?: string; afterText?: string }
  | { type: 'age-threshold'; before: number | null; after: number | null }
  | { type: 'third-party'; added: string[]; removed: string[] }
  | { type: 'right'; added: string[]; removed: string[] }
  | { type: 'transfer-country'; added: string[]; removed: string[] };

export type ChangeKind = 'added' | 'removed' | 'modified' | 'moved' | 'renamed';
export type Severity = 'none' | 'low' | 'medium' | 'high';

/** One aligned section pair that differs after normalization. */
export interface Change {
  sectionId: string;
  sectionPath: string[];
  /** For renamed/moved sections: the baseline's path. */
  previousPath?: string[];
  kind: ChangeKind;
  categories: Category[];
  material: boolean;
  severity: Severity;
  /** The changed clause(s) in the baseline; null for an added section. */
  before: string | null;
  /** The changed clause(s) now; null for a removed section. */
  after: string | null;
  obligations: Obligation[];
  /** Why a change was judged cosmetic ('whitespace', 'punctuation', 'case', 'date', 'reorder'); absent when material. */
  cosmetic?: string;
  /** Word-level diff of before → after, for highlighting. */
  diff?: DiffToken[];
}

export interface DiffToken {
  value: string;
  added?: boolean;
  removed?: boolean;
}

export interface DiffResult {
  material: boolean;
  effectiveDate: { before: string | null; after: string | null };
  changes: Change[];
  /** Lines worth a record but not an alert, e.g. "effective date changed with no text change". */
  notes: string[];
}
