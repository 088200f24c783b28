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
const BEYOND_GENERAL_PUNCTUATION_RE = /[^\x00-\x7F\u2000-\u206F]/;
const ASCII_SPACE_RE = /[ \t\n\v\f\r]{2,}|[\t\n\v\f\r]/g;
// Runs of non-alphanumerics become one space; a run that already is one space is left alone,
// which spares a replacement per word (2.5× faster than /[^a-z0-9]+/g, same result).
const ASCII_FOLD_PUNCT_RE = /[^a-z0-9]{2,}|[^a-z0-9 ]/g;

// Anything normalizeInline would change inside a line (the ends are checked apart): most lines
// have none of it.
const NEEDS_NORMALIZING_RE = /[^\x20-\x5F\x61-\x7E]| {2}/;

/** Unifies quotes, dashes, invisible characters and whitespace; keeps case and punctuation. */
export function normalizeInline(text: string): string {
  if (text.charCodeAt(0) !== 0x20 && text.charCodeAt(text.length - 1) !== 0x20 && !NEEDS_NORMALIZING_RE.test(text)) return text;
  if (!NON_ASCII_RE.test(text)) return (text.includes('`') ? text.replaceAll('`', "'") : text).replace(ASCII_SPACE_RE, ' ').trim();
  // NFC changes nothing in ASCII plus General Punctuation (bar two spaces, which become ' ' anyway).
  return (BEYOND_GENERAL_PUNCTUATION_RE.test(text) ? text.normalize('NFC') : text)
    .replace(INVISIBLE_RE, '')
    .replace(QUOTE_RE, (ch) => QUOTE_MAP[ch] ?? ch)
    .replace(SPACE_RE, ' ')
    .trim();
}

// A Unicode property class costs ~10× an ASCII one per character, so in mixed text only the runs
// of non-ASCII characters (a curly quote, a "§", a name with accents) meet the Unicode regex.
const NON_ASCII_RUN_RE = /[^\x00-\x7F]+/g;
const FOLD_PUNCT_RE = /[^\p{L}\p{N}]+/gu;
// ASCII non-alphanumerics and the General Punctuation block (U+2000–U+206F: curly quotes, dashes,
// odd spaces; no letter or digit in it), the non-ASCII characters policies use most.
const ASCII_NON_ALNUM_RE = /[^a-z0-9\x80-\u1FFF\u2070-\uFFFF]+/g;
const DOUBLE_SPACE_RE = / {2,}/g;

/** Case-, punctuation- and whitespace-insensitive form: equal folds mean a cosmetic-only edit. */
export function foldText(text: string): string {
  const lower = text.toLowerCase();
  // In ASCII, letters and digits (\p{L}, \p{N}) are [a-z0-9] once lower-cased.
  if (!NON_ASCII_RE.test(lower)) return lower.replace(ASCII_FOLD_PUNCT_RE, ' ').trim();
  // Same result as lower.replace(/[^\p{L}\p{N}]+/gu, ' '): each side of a boundary between an
  // ASCII and a non-ASCII run may leave a space, hence the final collapse.
  return lower
    .replace(ASCII_NON_ALNUM_RE, ' ')
    .replace(NON_ASCII_RUN_RE, (run) => run.replace(FOLD_PUNCT_RE, ' '))
    .replace(DOUBLE_SPACE_RE, ' ')
    .trim();
}

/**
 * `hashText(foldText(text))`, computed without building the folded string when the text is ASCII
 * apart from General Punctuation (curly quotes, dashes): the common case, and segmentation hashes
 * every section of every fetched version.
 */
export function hashFoldedText(text: string): string {
  // cyrb53's two lanes, inlined (see hashText).
  let h1 = SEED_1;
  let h2 = SEED_2;
  let wrote = false;
  let space = false;
  for (let i = 0; i < text.length; i++) {
    let code = text.charCodeAt(i);
    if (code >= 0x80) {
      if (code >= 0x2000 && code <= 0x206f) {
        space = true;
        continue;
      }
      return hashText(foldText(text)); // another script or symbol: fold it properly
    }
    if (code >= 0x41 && code <= 0x5a) code += 0x20;
    else if (!((code >= 0x61 && code <= 0x7a) || (code >= 0x30 && code <= 0x39))) {
      space = true;
      continue;
    }
    if (space && wrote) {
      h1 = Math.imul(h1 ^ 0x20, PRIME_1);
      h2 = Math.imul(h2 ^ 0x20, PRIME_2);
    }
    h1 = Math.imul(h1 ^ code, PRIME_1);
    h2 = Math.imul(h2 ^ code, PRIME_2);
    space = false;
    wrote = true;
  }
  return digest53(h1, h2);
}

// cyrb53 (public domain): two 32-bit multiplicative lanes finalised into 53 bits. Two different
// texts share a digest with probability ~2^-53. Native sha1 is faster on a string that exists,
// but a hash written in JavaScript can be fed the folded characters one by one, so no folded copy
// of each section is built (folding cost more than all the rest of segmentation).
// As int32 (`| 0`, which Math.imul applies anyway): a constant above 2^31 is a double to V8, and
// a double seed made the whole loop run on doubles, three times slower.
const SEED_1 = 0xdeadbeef | 0;
const SEED_2 = 0x41c6ce57 | 0;
const PRIME_1 = 2654435761 | 0;
const PRIME_2 = 1597334677 | 0;

/** Short stable digest (14 hex digits) of a string: identity, not security. */
function hashText(text: string): string {
  let h1 = SEED_1;
  let h2 = SEED_2;
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    h1 = Math.imul(h1 ^ code, PRIME_1);
    h2 = Math.imul(h2 ^ code, PRIME_2);
  }
  return digest53(h1, h2);
}

function digest53(a: number, b: number): string {
  const h1 = Math.imul(a ^ (a >>> 16), 2246822507) ^ Math.imul(b ^ (b >>> 13), 3266489909);
  const h2 = Math.imul(b ^ (b >>> 16), 2246822507) ^ Math.imul(h1 ^ (h1 >>> 13), 3266489909);
  return (4294967296 * (2097151 & h2) + (h1 >>> 0)).toString(16).padStart(14, '0');
}

/** Full sha256 hex of bytes or text: snapshot ids are content addresses. */
export function sha256Hex(content: string | Uint8Array): string {
  return createHash('sha256').update(content).digest('hex');
}

/**
 * A copyright sign or word, for the page's own © line. "(c)" only before a year ("(c) 2024 Acme"):
 * before words it is a list item's marker ("(c) Stripe, Inc. processes card payments"). Written to
 * work with or without the i flag.
 */
export const COPYRIGHT_MARK = String.raw`(?:©|\([cC]\)(?=\s*(?:19|20)\d{2})|\b[Cc]opyright\b|\bCOPYRIGHT\b)`;

// Roman numerals up to XXXIX only, so words like "Civil:" or "Mix." are never taken for numbers.
const ROMAN_NUMERAL = String.raw`(?=[ivx])x{0,3}(?:ix|iv|v?i{0,3})`;
const NUMBERING_RE = new RegExp(
  String.raw`^\s*(?:(?:section|article|part|chapter)\s+(?:\d{1,2}(?:\.\d+)*|${ROMAN_NUMERAL})\s*[.:)\-–—]?|(?:\d+\.)+\d*|\d+[a-z]?[.)]?|[A-Z][.)]|${ROMAN_NUMERAL}[.):]|§\s*\d+(?:\.\d+)*)\s+`,
  'i',
);

/**
 * A heading without its "1.", "4.2", "A.", "IV.", "Section 3 –" or "§ 3" numbering: numbers shift
 * when sections are inserted, and sites change numbering style.
 */
export function stripNumbering(heading: string): string {
  return heading.replace(NUMBERING_RE, '').replace(/^[-*•]\s*/, '');
}

// A list item's own marker: "1." "1)" "(1)" "a)" "(a)" "iv." "(iv)". Upper-case letters are left out:
// "A. Identifiers" labels a category that other text refers to, and "I." numbers headings.
const LIST_MARKER_RE = /^(?:\((?:\d{1,2}|[a-z]|[ivx]{1,4})\)|(?:\d{1,2}|[a-z]|[ivx]{1,4})[.)])\s+(?=\S)/;

/** Whether a line starts with an enumerator ("1.", "a)", "(iv)"), which only numbers a list item. */
export function hasListMarker(line: string): boolean {
  return LIST_MARKER_RE.test(line);
}

/** A list item without its enumerator: switching from bullets to numbers or letters is cosmetic. */
export function stripListMarker(line: string): string {
  return line.replace(LIST_MARKER_RE, '');
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
function foldedWords(text: string): string[] {
  const folded = foldText(text);
  return folded ? folded.split(' ') : [];
}

/** The distinct folded words of a text, for `setSimilarity`. */
export function wordSet(text: string): Set<string> {
  return new Set(foldedWords(text));
}

/** Dice coefficient of two word sets: 1 for the same words, 0 for none shared. */
export function setSimilarity(wa: ReadonlySet<string>, wb: ReadonlySet<string>): number {
  if (wa.size === 0 && wb.size === 0) return 1;
  let shared = 0;
  for (const w of wa) if (wb.has(w)) shared++;
  return (2 * shared) / (wa.size + wb.size);
}

/** Dice coefficient over the two texts' word sets. */
export function wordSimilarity(a: string, b: string): number {
  return setSimilarity(wordSet(a), wordSet(b));
}
