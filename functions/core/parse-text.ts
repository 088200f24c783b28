/**
 * Plain text → blocks. Plain text extracted from HTML keeps traces of its markup that we use:
 * an inline link leaves its text on an indented line of its own, a line ending in a space was
 * cut mid-sentence, and "==========" marks arbitrary chunk boundaries (not structure).
 * The role of each short line (heading or list item) is left to the segmenter.
 */
import type { Block } from './types.ts';
import { dropPageChrome } from './chrome.ts';
import { hasListMarker, normalizeInline } from './text.ts';

const SEPARATOR_RE = /^\s*(?:={3,}|-{3,}|\*{3,}|_{3,})\s*$/;
const BULLET_RE = /^\s*[•·▪◦●○■□►▸‣⁃*-]\s+/;
// A lone lowercase word on a line of its own can be an extraction artifact ("anchor", "top"), but
// it can as well be link text or the last word of a wrapped line: see `isArtifact`.
const ARTIFACT_RE = /^[a-z]{2,12}$/;
const SENTENCE_END_RE = /[.!?]["')\]]?$/;
const NUMBERED_TITLE_RE = /^\d{1,2}(?:\.\d{1,2})*[a-z]?[.)]?\s+\p{Lu}/u;

interface RawLine {
  text: string;
  indent: number;
  trailingSpace: boolean;
  gapBefore: number;
  /** Columns taken by the last raw line (indentation included): a logical line may span several. */
  lastLength: number;
  /** Starts with a list enumerator ("1.", "a)", "(iv)"). */
  enumerated?: boolean;
  /** Assembled from several raw lines: prose cut by the extraction, never a heading. */
  joined?: boolean;
}

// First characters a separator line can start with (after spaces): the regex runs on those only.
const SEPARATOR_FIRST = new Set(['=', '-', '*', '_']);

function readLines(input: string): RawLine[] {
  const lines: RawLine[] = [];
  let gap = 0;
  for (const raw of (input.includes('\r') ? input.replace(/\r\n?/g, '\n') : input).split('\n')) {
    const text = raw.trim();
    if (!text) {
      gap++;
      continue;
    }
    if (SEPARATOR_FIRST.has(text[0]!) && SEPARATOR_RE.test(raw)) continue; // chunk boundary: neither a gap nor content
    const last = raw.charCodeAt(raw.length - 1);
    const indent = raw.indexOf(text[0]!);
    lines.push({ text, indent, lastLength: indent + text.length, trailingSpace: last === 0x20 || last === 0x09, gapBefore: gap, ...(hasListMarker(text) ? { enumerated: true } : {}) });
    gap = 0;
  }
  return lines;
}

const OPEN_PAREN = 0x28;
const CLOSE_PAREN = 0x29;

function unbalancedParen(text: string): boolean {
  // Code units, not a string iterator: called on every logical line as it grows, and both
  // parentheses are single UTF-16 units.
  let depth = 0;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (code === OPEN_PAREN) depth++;
    else if (code === CLOSE_PAREN && depth > 0) depth--;
  }
  return depth > 0;
}

/** Whether `line` continues the logical line `previous` (same paragraph, cut by the extraction). */
const CONTINUATION_START_RE = /^[\p{Ll},.;:)\]]/u;
// Ends a sentence or a lead-in: what follows starts afresh even without a blank line.
const CLAUSE_END_RE = /[.!?:]["')\]]?$/;

interface Layout {
  /** Smallest indentation in the document: indentation counts from there (a whole text may be indented). */
  baseIndent: number;
  /** Column at which the text was hard-wrapped, if it was. */
  wrapWidth?: number;
}

// Nobody hard-wraps wider than this; a text whose lines run longer has one line per paragraph.
const MAX_WRAP_WIDTH = 160;

/**
 * A hard-wrapped text has most of its lines ending just short of one width: the 95th percentile of
 * line lengths, when at least half the lines followed by another line reach within 20 columns of it.
 * One-line-per-paragraph text has no such width (its lines run from a few words to many hundreds).
 */
function readLayout(lines: RawLine[]): Layout {
  const baseIndent = lines.reduce((min, l) => Math.min(min, l.indent), Infinity);
  const lengths = lines.map((l) => l.indent + l.text.length).sort((a, b) => a - b);
  const width = lengths[Math.floor(0.95 * (lengths.length - 1))];
  if (width === undefined || width > MAX_WRAP_WIDTH) return { baseIndent: Number.isFinite(baseIndent) ? baseIndent : 0 };
  let inner = 0;
  let full = 0;
  lines.forEach((l, i) => {
    const length = l.indent + l.text.length;
    if (length < 20 || (lines[i + 1]?.gapBefore ?? 1) > 0) return;
    inner++;
    if (length >= width - 20) full++;
  });
  return { baseIndent, ...(full >= 3 && full * 2 >= inner ? { wrapWidth: width } : {}) };
}

function firstWordLength(text: string): number {
  const space = text.indexOf(' ');
  return space < 0 ? text.length : space;
}

function continuesLine(previous: RawLine, line: RawLine, after: RawLine | undefined, layout: Layout): boolean {
  if (line.gapBefore > 0 || BULLET_RE.test(line.text)) return false;
  if (previous.trailingSpace) return true;
  // "a) …" after a finished line, or after an item of the same list, is the next item, not a
  // continuation (it starts in lower case). Mid-sentence, "(ii) …" is inline enumeration cut by a wrap.
  if (line.enumerated && (CLAUSE_END_RE.test(previous.text) || (previous.enumerated && previous.text.endsWith(';')))) return false;
  const first = line.text.charCodeAt(0);
  // ASCII answers at once (a lower-case letter or , . ; : ) ]); other scripts ask the regex.
  if (first < 0x80 ? (first >= 0x61 && first <= 0x7a) || ',.;:)]'.includes(line.text[0]!) : CONTINUATION_START_RE.test(line.text)) return true;
  if (previous.text.includes('(') && unbalancedParen(previous.text)) return true;
  // Hard-wrapped text: the line before broke only because this line's first word did not fit,
  // so it is the same paragraph whatever its first letter ("a child under" / "13 has …").
  // A heading ends well short of the width, so it never meets this test.
  const { wrapWidth } = layout;
  const brokenByWidth = wrapWidth !== undefined && previous.lastLength + 1 + firstWordLength(line.text) > wrapWidth;
  if (brokenByWidth) {
    if (!CLAUSE_END_RE.test(previous.text)) return true;
    // A wrap that fell on a sentence end: the next sentence of the paragraph, unless this line is
    // short and unfinished like a heading. A lead-in (":") announces a list: never joined.
    // The paragraph's last line is followed by a blank line or nothing; a heading by its content.
    if (!previous.text.endsWith(':') && (line.lastLength >= wrapWidth - 20 || SENTENCE_END_RE.test(line.text) || !after || after.gapBefore > 0)) return true;
  }
  // Inline link text on an indented line of its own (indentation counts from the document's own).
  return line.indent - layout.baseIndent >= 4 && !SENTENCE_END_RE.test(previous.text);
}

/**
 * An artifact stands between two things it cannot belong to: the line before ended a sentence (or
 * there is none) and the line after starts afresh. Anything else is text a reader sees, never dropped.
 */
function isArtifact(line: RawLine, previous: RawLine | undefined, next: RawLine | undefined, baseIndent: number): boolean {
  if (line.indent > baseIndent || !ARTIFACT_RE.test(line.text)) return false;
  const closesPrevious = !previous || line.gapBefore > 0 || (!previous.trailingSpace && SENTENCE_END_RE.test(previous.text));
  const opensNext = !next || next.gapBefore > 0 || !CONTINUATION_START_RE.test(next.text);
  return closesPrevious && opensNext;
}

/** Parses plain text into `line` and `list-item` blocks with blank-line gaps recorded. */
export function parsePlainText(input: string): Block[] {
  const logical: RawLine[] = [];
  const lines = readLines(input);
  const layout = readLayout(lines);
  for (const [i, line] of lines.entries()) {
    const previous = logical.at(-1);
    if (isArtifact(line, previous, lines[i + 1], layout.baseIndent)) continue;
    if (previous && continuesLine(previous, line, lines[i + 1], layout)) {
      const joiner = /^[,.;:)\]]/.test(line.text) ? '' : ' ';
      previous.text = `${previous.text}${joiner}${line.text}`;
      previous.trailingSpace = line.trailingSpace;
      previous.lastLength = line.lastLength;
      previous.joined = true;
      continue;
    }
    logical.push({ ...line });
  }
  const blocks = logical.map((line): Block => {
    const gapBefore = line.gapBefore;
    if (BULLET_RE.test(line.text)) {
      return { kind: 'list-item', text: normalizeInline(line.text.replace(BULLET_RE, '')), gapBefore };
    }
    // A numbered title too long for the wrap width is still a title: the segmenter decides.
    const wrappedTitle = line.joined && line.text.length <= 100 && NUMBERED_TITLE_RE.test(line.text) && !/[.,;:]$/.test(line.text);
    return { kind: line.joined && !wrappedTitle ? 'paragraph' : 'line', text: normalizeInline(line.text), gapBefore };
  });
  return dropPageChrome(blocks);
}
