/**
 * Recognises edits that change no meaning, from the words that differ between two clauses:
 * dates only ("Last updated"), link targets only, equivalent wording (a number spelled out or in
 * digits, "e-mail"/"email", "&"/"and", British/American spelling), or a one-word spelling fix.
 * Case, punctuation and whitespace never get this far: the folded forms are already equal.
 */
import { NUMBER_WORD_SOURCE, parseNumberWord } from './obligation-rules.ts';
import { foldText } from './text.ts';

const MONTHS = '(?:january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|mar|apr|jun|jul|aug|sept?|oct|nov|dec)\\.?';
// Whole date expressions only, so "30 days" → "45 days" is never mistaken for a date edit.
const DATE_EXPRESSION_RE = new RegExp(
  [
    `\\b${MONTHS}\\s+\\d{1,2}(?:st|nd|rd|th)?,?\\s+\\d{4}\\b`, // May 25, 2018
    `\\b\\d{1,2}(?:st|nd|rd|th)?\\s+(?:of\\s+)?${MONTHS}\\s*,?\\s+\\d{4}\\b`, // 25 May 2018
    `\\b${MONTHS}\\s+\\d{4}\\b`, // May 2018
    '\\b\\d{1,4}[./-]\\d{1,2}[./-]\\d{1,4}\\b', // 08/21/2023, 2023-08-21
  ].join('|'),
  'gi',
);
const URL_RE = /\b(?:https?:\/\/|www\.)[^\s)\]]+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|eu|uk|de|fr|info|app)\/[^\s)\]]*/gi;
// Words whose small spelling changes flip meaning: never a "typo".
const MEANINGFUL_SHORT = /^(?:not|now|no|may|will|can|must|shall|sell|tell|opt|in|out|un|non)$/i;

export type CosmeticReason = 'date' | 'link' | 'wording' | 'typo';

function levenshtein(a: string, b: string): number {
  if (Math.abs(a.length - b.length) > 2) return 3;
  let prev = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    const cur = [i];
    for (let j = 1; j <= b.length; j++) {
      cur[j] = Math.min(prev[j]! + 1, cur[j - 1]! + 1, prev[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    prev = cur;
  }
  return prev[b.length]!;
}

// "forty-five (45)" → "45"; then any number word alone → its digits.
const NUMBER_WITH_DIGITS_RE = new RegExp(String.raw`\b${NUMBER_WORD_SOURCE}\s*\((\d+)\)`, 'g');
const NUMBER_WORD_RE = new RegExp(String.raw`\b${NUMBER_WORD_SOURCE}\b`, 'g');
// Spelling variants an editor's style pass changes; both sides are mapped the same way.
const SPELLING_VARIANTS: ReadonlyArray<[RegExp, string]> = [
  [/&/g, ' and '],
  [/\be[- ]mail/g, 'email'],
  [/\b(\w{3,})is(e|es|ed|ing|ation\w*|er|ers)\b/g, '$1iz$2'],
  [/\b(\w{2,})ys(e|es|ed|ing)\b/g, '$1yz$2'],
  [/\b(colo|favo|behavio|hono|labo|neighbo|flavo|humo|rumo|harbo|endeavo|vigo)ur/g, '$1r'],
  [/\b(licen|defen|offen|pretan)ce\b/g, '$1se'],
  [/\b(cent|met|theat|fib)re\b/g, '$1er'],
  [/\b(cancel|travel|label|model|signal|fuel|total)l(ed|ing)\b/g, '$1$2'],
  [/\b(catalog|dialog|analog)ue\b/g, '$1'],
  [/\bprogramme/g, 'program'],
  [/\bjudgement/g, 'judgment'],
  [/\benrolment/g, 'enrollment'],
  [/\bfulfil(?=\b|ment)/g, 'fulfill'],
  [/\bwhilst\b/g, 'while'],
  [/\bamongst\b/g, 'among'],
];

/** The clause with equivalent spellings made equal, folded: equal forms mean the same words. */
function equivalentWording(text: string): string {
  let canonical = text.toLowerCase().replace(NUMBER_WITH_DIGITS_RE, (_, digits: string) => digits);
  canonical = canonical.replace(NUMBER_WORD_RE, (word) => String(parseNumberWord(word.replace(/\s+/g, ' ')) ?? word));
  for (const [pattern, replacement] of SPELLING_VARIANTS) canonical = canonical.replace(pattern, replacement);
  return foldText(canonical);
}

function tokens(value: string): string[] {
  return value.toLowerCase().split(/\s+/).map((t) => t.replace(/^[("'[]+|[)"'\].,;:!?]+$/g, '')).filter(Boolean);
}

/**
 * The words between the common start and the common end of two clauses (case-insensitive). Only
 * whether one word replaced one other matters below, and a single edited stretch gives exactly
 * its words, so trimming both ends stands in for a word diff at a fraction of its cost.
 */
function changedWords(before: string, after: string): { removed: string[]; added: string[] } {
  const b = tokens(before);
  const a = tokens(after);
  let start = 0;
  while (start < b.length && start < a.length && b[start] === a[start]) start++;
  let end = 0;
  while (end < b.length - start && end < a.length - start && b[b.length - 1 - end] === a[a.length - 1 - end]) end++;
  return { removed: b.slice(start, b.length - end), added: a.slice(start, a.length - end) };
}

/** Why `before` → `after` is cosmetic, or undefined when the words that changed carry meaning. */
export function cosmeticReason(before: string, after: string): CosmeticReason | undefined {
  const { removed, added } = changedWords(before, after);
  if (removed.length + added.length === 0) return undefined;
  const without = (text: string, re: RegExp): string => foldText(text.replace(re, ' '));
  // String.search ignores the global regexes' lastIndex, so they stay reusable.
  if (before.search(DATE_EXPRESSION_RE) >= 0 && without(before, DATE_EXPRESSION_RE) === without(after, DATE_EXPRESSION_RE)) return 'date';
  if (before.search(URL_RE) >= 0 && without(before, URL_RE) === without(after, URL_RE)) return 'link';
  if (equivalentWording(before) === equivalentWording(after)) return 'wording';
  if (removed.length === 1 && added.length === 1) {
    const [r, a] = [removed[0]!, added[0]!];
    const isWord = (w: string): boolean => /^\p{L}{6,}$/u.test(w) && !MEANINGFUL_SHORT.test(w);
    if (isWord(r) && isWord(a) && r[0] === a[0] && levenshtein(r, a) <= 2) return 'typo';
  }
  return undefined;
}
