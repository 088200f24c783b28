/**
 * Text normalization shared by every stage. Two levels:
 * - `normalizeInline` keeps what a reader sees (case, punctuation) but unifies the encodings of it;
 * - `foldText` drops what never changes meaning (case, punctuation, spacing), for hashes and equality.
 */
import { createHash } from 'node:crypto';

const QUOTE_MAP: Record<string, string> = {
  '\u2018': "'", '\u2019': "'", '\u201A': "'", '\u201B': "'", '\u2032': "'", '\u00B4': "'", '`': "'",
  '\u201C': '"', '\u201D': '"', '\u201E': '"', '\u201F': '"', '\u2033': '"', '\u00AB': '"', '\u00BB': '"',
  '\u2010': '-', '\u2011': '-', '\u2012': '-', '\u2013': '-', '\u2014': '-', '\u2015': '-', '\u2212': '-',
  '\u2026': '...',
};
const QUOTE_RE = new RegExp(`[${Object.keys(QUOTE_MAP).join('')}]`, 'g');
// Zero-width characters and soft hyphens are invisible to readers but break word equality.
const INVISIBLE_RE = /[\u00AD\u200B-\u200D\u2060\uFEFF]/g;
const SPACE_RE = /[\s\u00A0\u2000-\u200A\u202F\u205F\u3000]+/g;

// Most policy text is ASCII, where NFC, invisible characters and typographic quotes cannot occur
// and \s is [ \t\n\v\f\r]: the fast paths below give the same strings in a fraction of the time.
const NON_ASCII_RE = /[^\x00-\x7F]/;
const ASCII_SPACE_RE = /[ \t\n\v\f\r]{2,}|[\t\n\v\f\r]/g;
// Runs of non-alphanumerics become one space; a run that already is one space is left alone,
// which spares a replacement per word (2.5× faster than /[^a-z0-9]+/g, same result).
const ASCII_FOLD_PUNCT_RE = /[^a-z0-9]{2,}|[^a-z0-9 ]/g;

/** Unifies quotes, dashes, invisible characters and whitespace; keeps case and punctuation. */
export function normalizeInline(text: string): string {
  if (!NON_ASCII_RE.test(text)) return (text.includes('`') ? text.replaceAll('`', "'") : text).replace(ASCII_SPACE_RE, ' ').trim();
  return text
    .normalize('NFC')
    .replace(INVISIBLE_RE, '')
    .replace(QUOTE_RE, (ch) => QUOTE_MAP[ch] ?? ch)
    .replace(SPACE_RE, ' ')
    .trim();
}

const FOLD_PUNCT_RE = /[^\p{L}\p{N}]+/gu;

/** Case-, punctuation- and whitespace-insensitive form: equal folds mean a cosmetic-only edit. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // In ASCII, letters and digits (\p{L}, \p{N}) are [a-z0-9] once lower-cased.
  return (NON_ASCII_RE.test(lower) ? lower.replace(FOLD_PUNCT_RE, ' ') : lower.replace(ASCII_FOLD_PUNCT_RE, ' ')).trim();
}

/** Short stable digest (hex) of a string. sha1 is native and fast; this is identity, not security. */
export function hashText(text: string): string {
  return createHash('sha1').update(text).digest('hex').slice(0, 16);
}

/** Full sha256 hex of bytes or text: snapshot ids are content addresses. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

const NUMBERING_RE = /^\s*(?:(?:\d+\.)+\d*|\d+[a-z]?[.)]?|[A-Z][.)]|[ivxlc]+[.)]|§\s*\d+(?:\.\d+)*)\s+/i;

/** A heading without its "1.", "4.2", "A." or "§ 3" numbering: numbers shift when sections are inserted. */
export function stripNumbering(heading: string): string {
  return heading.replace(NUMBERING_RE, '').replace(/^[-*•]\s*/, '');
}

/** URL-safe slug of a heading, numbering removed, bounded length. */
export function slugify(text: string): string {
  const slug = foldText(stripNumbering(text)).replace(/ /g, '-');
  return (slug.slice(0, 60).replace(/-+$/, '') || 'section');
}

// A sentence ends at . ! ? or ; followed by space and an opening capital, digit or quote.
// Common abbreviations and initials are protected so "e.g. Google", "Inc. and" or "the P.R. China" do not split.
const ABBREVIATION_END_RE = /(?:^|[^\p{L}])(?:e\.g|i\.e|etc|inc|ltd|llc|co|corp|no|vs|cf|approx|dr|mr|mrs|ms|st|civ|cal|art|sec|\p{L})\.$/iu;

/** Whether text ends with an abbreviation or an initial rather than a sentence ("… Inc.", "… P.R."). */
export function endsWithAbbreviation(text: string): boolean {
  return ABBREVIATION_END_RE.test(text);
}
const SENTENCE_END_RE = /([.!?;])\s+(?=["'(\[]?[\p{Lu}\p{N}])/gu;

/** Splits body text into clauses: each line (paragraph or list item) and each sentence within it. */
export function splitClauses(text: string): string[] {
  const clauses: string[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (!trimmed) continue;
    let start = 0;
    SENTENCE_END_RE.lastIndex = 0;
    let match: RegExpExecArray | null;
    while ((match = SENTENCE_END_RE.exec(trimmed))) {
      const end = match.index + 1;
      const candidate = trimmed.slice(start, end);
      if (endsWithAbbreviation(candidate)) continue;
      clauses.push(candidate.trim());
      start = end;
    }
    const rest = trimmed.slice(start).trim();
    if (rest) clauses.push(rest);
  }
  return clauses;
}

/** Word tokens of folded text, for similarity measures. */
export function foldedWords(text: string): string[] {
  const folded = foldText(text);
  return folded ? folded.split(' ') : [];
}

/** Dice coefficient over word sets: 1 for the same words, 0 for none shared. */
export function wordSimilarity(a: string, b: string): number {
  const wa = new Set(foldedWords(a));
  const wb = new Set(foldedWords(b));
  if (wa.size === 0 && wb.size === 0) return 1;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return (2 * shared) / (wa.size + wb.size);
}
