/**
 * Decides the role of each plain-text `line` block: heading, paragraph or list item, with no
 * per-policy configuration. The rules, in words:
 * - a heading is short, starts with a capital or a number, and does not end like a sentence;
 * - an unnumbered short line is a heading only when prose (or a list) follows it;
 * - two or more short lines in a row after a line ending in ":" are list items ("Name", "Password");
 * - numbered short lines are headings (tables of contents were dropped before, by chrome.ts);
 * - heading levels come from explicit markup, else from the numbering ("1." > "1.1", "A." > "1a."),
 *   else one below the nearest structural heading.
 */
import type { Block } from './types.ts';
import { hasListMarker, stripListMarker, stripNumbering } from './text.ts';

export interface ResolvedBlock {
  kind: 'heading' | 'paragraph' | 'list-item';
  text: string;
  level: number;
  /** A synthetic heading for an untitled section (its first words); never reported as renamed. */
  untitled?: boolean;
}

/** Fewer headings than this per 1,000 characters: strong paragraph breaks also open sections. */
const SPARSE_HEADINGS_PER_KB = 0.5;
const UNTITLED_LABEL_WORDS = 8;

function untitledLabel(text: string): string {
  const words = text.split(/\s+/);
  return words.length <= UNTITLED_LABEL_WORDS ? text : `${words.slice(0, UNTITLED_LABEL_WORDS).join(' ')}…`;
}

type Numbering =
  | { scheme: 'int'; value: number; suffix: boolean }
  | { scheme: 'dotted'; depth: number }
  | { scheme: 'letter' };

const DOTTED_RE = /^(\d+(?:\.\d+)+)\.?\s+\S/;
const INT_RE = /^(\d{1,2})([a-z])?[.)]\s+\S/;
const LETTER_RE = /^[A-Z](?:[.)]\s+|\s+(?=[A-Z][a-z]))\S/;
const DASH_LABEL_RE = /^-\s*(?=\p{Lu})/u;
// "IV. Retention", "Section 4 - Retention", "Article IV: Retention": the same top-level sequence as "4.".
const ROMAN_RE = /^(X{0,3}(?:IX|IV|V?I{0,3}))[.):]\s+\S/;
const LABELLED_RE = /^(?:section|article|part|chapter)\s+(\d{1,2}|[IVX]{1,5})\s*[.:)-]?\s+\S/i;
const ROMAN_VALUES: Record<string, number> = { I: 1, V: 5, X: 10 };

function romanValue(numeral: string): number {
  let value = 0;
  for (let i = 0; i < numeral.length; i++) {
    const digit = ROMAN_VALUES[numeral[i]!]!;
    value += digit < (ROMAN_VALUES[numeral[i + 1] ?? ''] ?? 0) ? -digit : digit;
  }
  return value;
}

/**
 * `romanSingles`: "I.", "V." and "X." are Roman numerals, not letters (the document numbers other
 * headings "II.", "IV." …); otherwise they stay letters, as in "A." … "I." lists.
 */
function numberingOf(text: string, romanSingles = false): Numbering | undefined {
  const dotted = DOTTED_RE.exec(text);
  if (dotted) return { scheme: 'dotted', depth: dotted[1]!.split('.').length };
  const int = INT_RE.exec(text);
  if (int) return { scheme: 'int', value: Number(int[1]), suffix: Boolean(int[2]) };
  const labelled = LABELLED_RE.exec(text);
  if (labelled) {
    const label = labelled[1]!.toUpperCase();
    return { scheme: 'int', value: /^\d/.test(label) ? Number(label) : romanValue(label), suffix: false };
  }
  const roman = ROMAN_RE.exec(text)?.[1];
  if (roman && (roman.length > 1 || romanSingles)) return { scheme: 'int', value: romanValue(roman), suffix: false };
  if (LETTER_RE.test(text)) return { scheme: 'letter' };
  return undefined;
}

/** Whether the document numbers its headings with Roman numerals of two or more letters ("II."). */
function usesRomanNumerals(blocks: Block[]): boolean {
  return blocks.some((b) => b.kind === 'line' && b.text.length <= 100 && /^(?:II|III|IV|VI|VII|VIII|IX)[.):]\s/.test(b.text));
}

function firstWord(text: string): string {
  return /^[\p{L}\p{N}]+/u.exec(text)?.[0]?.toLowerCase() ?? '';
}

const WORD_RE = /\S+/g;

function wordCount(text: string): number {
  return text.match(WORD_RE)?.length ?? 0;
}

const SHORT_LINE_START_RE = /^(?:-\s*)?["']?[\p{Lu}\p{N}]/u;

// A title does not stop on an article, a conjunction or a possessive: a line that does is a
// fragment of a wrapped sentence ("This policy applies to the following domains: and").
const FRAGMENT_END_RE = /\s(?:and|or|the|a|an|of|for|by|from|your|our|their|its|that|which)$/i;

/** Short, capitalised, not ending like a sentence or a lead-in. */
function isShortLine(block: Block): boolean {
  if (block.kind !== 'line') return false;
  const text = block.text;
  // Cheapest tests first: most lines are prose, long or ending in a full stop.
  if (text.length > 100 || /[.,;:]$/.test(text) || !SHORT_LINE_START_RE.test(text) || FRAGMENT_END_RE.test(text)) return false;
  // Two or more commas make an enumeration ("name, email, and billing address"), not a title.
  const firstComma = text.indexOf(',');
  if (firstComma >= 0 && text.indexOf(',', firstComma + 1) >= 0) return false;
  return wordCount(text) <= (numberingOf(text) ? 18 : 14);
}

// Lead-ins read as the start of a sentence ("We may also disclose it:", "For example:", "The
// following:"); titles name a topic ("Data retention:", "Your rights:").
const LEAD_IN_RE = /^(?:we|you|they|it|this|these|there|for|please|if|when|as|such|in|to|including)\b|\bfollowing\b/i;

/** A short line ending in a colon that reads as a title: a few words, capitalised, no enumeration. */
function isColonTitle(block: Block): boolean {
  const text = block.text;
  if (block.kind !== 'line' || !text.endsWith(':') || text.length > 80 || wordCount(text) > 8) return false;
  const title = text.slice(0, -1);
  return isShortLine({ ...block, text: title }) && !LEAD_IN_RE.test(stripNumbering(title));
}

/** Block `i` stands alone between blank lines over a block of several lines ("Contact Us" over an address). */
function titlesLineBlock(blocks: Block[], i: number): boolean {
  const next = blocks[i + 1];
  const nextNext = blocks[i + 2];
  return (blocks[i]!.gapBefore ?? 1) > 0 && next?.kind === 'line' && (next.gapBefore ?? 1) > 0 && nextNext !== undefined && nextNext.kind !== 'heading' && nextNext.gapBefore === 0;
}

/** Prose: a long line or a sentence of some length. */
function isProse(block: Block | undefined): boolean {
  if (!block) return false;
  if (block.kind === 'paragraph') return true;
  if (block.kind !== 'line') return false;
  return block.text.length > 100 || (/[.!?:;"')]$/.test(block.text) && wordCount(block.text) >= 6);
}

class NumberingLevels {
  private lastTop: number | undefined;
  private nestedLast: number | undefined;
  private underLetter = false;

  levelOf(numbering: Numbering): number {
    if (numbering.scheme === 'dotted') {
      this.nestedLast = undefined;
      return numbering.depth + 1;
    }
    if (numbering.scheme === 'letter') {
      this.underLetter = true;
      this.nestedLast = undefined;
      return 3;
    }
    const { value, suffix } = numbering;
    // A nested run ("1a", "1b", "2", …) continues before the top-level sequence is considered.
    const continuesNested = this.nestedLast !== undefined && (suffix ? value === this.nestedLast || value === this.nestedLast + 1 : value === this.nestedLast + 1);
    const continuesTop = !suffix && (this.lastTop === undefined || value === this.lastTop + 1);
    if (!continuesNested && continuesTop) {
      this.lastTop = value;
      this.nestedLast = undefined;
      this.underLetter = false;
      return 2;
    }
    this.nestedLast = value;
    return this.underLetter ? 4 : 3;
  }
}

/** Resolves every block to heading, paragraph or list item, with heading levels. */
export function resolveBlocks(blocks: Block[]): ResolvedBlock[] {
  const short = blocks.map(isShortLine);
  const roman = usesRomanNumerals(blocks);
  const roles: Array<ResolvedBlock['kind']> = blocks.map((b) => (b.kind === 'line' ? 'paragraph' : b.kind));

  // Lists: lines right after a lead-in ending in ":" (no blank line between), and the lines that
  // follow them without a break or a sentence end, are list items whatever their length.
  const inList: boolean[] = blocks.map(() => false);
  // A list may also start after blank lines below its lead-in when a second item follows at once.
  const endsSentence = (b: Block | undefined): boolean => !b || /[.!?]$/.test(b.text);
  blocks.forEach((b, i) => {
    const prev = blocks[i - 1];
    if (b.kind !== 'line' || !prev || endsSentence(b)) return;
    const gap = b.gapBefore ?? 1;
    const next = blocks[i + 1];
    const secondItemFollows = next?.kind === 'line' && next.gapBefore === 0 && !endsSentence(next);
    if (gap === 0 && (/:$/.test(prev.text) || inList[i - 1])) inList[i] = true;
    else if (/:$/.test(prev.text) && secondItemFollows) inList[i] = true;
    // Parallel items below a lead-in ("Data from our partners …", blank, "Data from data brokers …"):
    // the same first word as the unfinished item before it continues the list.
    else if (prev.kind === 'line' && !endsSentence(prev) && (inList[i - 1] || /:$/.test(blocks[i - 2]?.text ?? '')) && firstWord(prev.text) === firstWord(b.text)) {
      inList[i - 1] = true;
      inList[i] = true;
    }
  });

  for (let i = 0; i < blocks.length; ) {
    if (inList[i]) roles[i] = 'list-item';
    // (Tables of contents are gone by now: chrome.ts drops them in every parser.)
    if (!short[i] || inList[i]) {
      i++;
      continue;
    }
    let end = i + 1; // a run: consecutive short lines with no blank line between them
    while (end < blocks.length && short[end] && (blocks[end]!.gapBefore ?? 1) === 0) end++;
    const before = blocks[i - 1];
    const afterColon = Boolean(before && /:$/.test(before.text));
    const next = blocks[end];
    const nextNext = blocks[end + 1];
    // A line standing alone between blank lines, over a block of lines of its own ("Contact Us"
    // over an address), titles that block as a heading over prose does.
    const titlesBlock = end - i === 1 && !afterColon && titlesLineBlock(blocks, i);
    const introducesContent =
      isProse(next) || next?.kind === 'list-item' || (next !== undefined && DASH_LABEL_RE.test(next.text) && isProse(nextNext)) || titlesBlock;
    const runIsNumbered = blocks.slice(i, end).some((b) => numberingOf(b.text, roman));
    for (let j = i; j < end; j++) {
      const numbering = numberingOf(blocks[j]!.text, roman);
      if (end - i >= 2) roles[j] = afterColon || runIsNumbered || !introducesContent ? 'list-item' : 'heading';
      // "A. Identifiers" directly followed by "B. …": an enumerated list, not a heading.
      else if (numbering && next && (next.gapBefore ?? 1) === 0 && numberingOf(next.text, roman)?.scheme === numbering.scheme) roles[j] = 'list-item';
      else roles[j] = numbering || introducesContent ? 'heading' : 'paragraph';
    }
    i = end;
  }

  // "Data retention:" standing apart above prose is a heading styled with a colon, not a lead-in
  // (a lead-in announces a list or sits against its text). The colon is punctuation, not title.
  const colonHeadings = new Set<number>();
  blocks.forEach((b, i) => {
    if (roles[i] !== 'paragraph' || inList[i] || !isColonTitle(b) || (i > 0 && (b.gapBefore ?? 1) === 0)) return;
    const next = blocks[i + 1];
    const previous = blocks[i - 1];
    // Under a lead-in ("… namely:"), a "Label:" line is one of the items it announces.
    if (previous && /:$/.test(previous.text)) return;
    if (next && (next.gapBefore ?? 1) > 0 && ((isProse(next) && !hasListMarker(next.text)) || numberingOf(b.text, roman) || titlesLineBlock(blocks, i))) {
      roles[i] = 'heading';
      colonHeadings.add(i);
    }
  });

  const numberingLevels = new NumberingLevels();
  let structuralLevel = 1; // level of the nearest explicit or numbered heading
  let lastLineHeadingLevel = 2;
  const resolved = blocks.map((block, i): ResolvedBlock => {
    const kind = roles[i]!;
    if (kind !== 'heading') {
      // An enumerated line or paragraph (a numbered item wrapped over several lines) that is not
      // a heading is a list item; its "1." or "a)" is not its text.
      if ((block.kind === 'line' || block.kind === 'paragraph') && hasListMarker(block.text)) return { kind: 'list-item', text: stripListMarker(block.text), level: 0 };
      return { kind, text: block.text, level: 0 };
    }
    if (block.kind === 'heading') {
      structuralLevel = block.level ?? 2;
      return { kind, text: block.text, level: structuralLevel };
    }
    const text = colonHeadings.has(i) ? block.text.slice(0, -1).trimEnd() : block.text;
    const numbering = numberingOf(text, roman);
    if (numbering) {
      structuralLevel = numberingLevels.levelOf(numbering);
      return { kind, text, level: structuralLevel };
    }
    if (DASH_LABEL_RE.test(text)) {
      return { kind, text: text.replace(DASH_LABEL_RE, ''), level: lastLineHeadingLevel + 1 };
    }
    lastLineHeadingLevel = structuralLevel + 1;
    return { kind, text, level: lastLineHeadingLevel };
  });
  return splitSparseSections(blocks, resolved);
}

/**
 * Policies with almost no headings (one long page of prose) still have topics: where two or more
 * blank lines separate prose paragraphs, an untitled section starts, labelled by its first words.
 */
function splitSparseSections(blocks: Block[], resolved: ResolvedBlock[]): ResolvedBlock[] {
  const chars = blocks.reduce((n, b) => n + b.text.length, 0);
  const headings = resolved.filter((b) => b.kind === 'heading').length;
  if (chars < 2000 || headings / (chars / 1000) >= SPARSE_HEADINGS_PER_KB) return resolved;
  const out: ResolvedBlock[] = [];
  let level = 2;
  resolved.forEach((block, i) => {
    if (block.kind === 'heading') level = Math.max(2, block.level);
    const previous = resolved[i - 1];
    const strongBreak = (blocks[i]!.gapBefore ?? 0) >= 2 && block.kind === 'paragraph' && previous?.kind === 'paragraph' && !/:$/.test(previous.text);
    if (strongBreak) out.push({ kind: 'heading', text: untitledLabel(block.text), level, untitled: true });
    out.push(block);
  });
  return out;
}
