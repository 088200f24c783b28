/**
 * Recognises edits that change no meaning, from the words that differ between two clauses:
 * the page's own dates only ("Last updated", "© 2024"), link targets or addresses only, equivalent
 * wording (a number spelled out or in digits, "e-mail"/"email", "&"/"and", British/American
 * spelling, contractions, "utilize", compounds, a doubled word, a grammatical -s), or spelling fixes.
 * Case, punctuation and whitespace never get this far: the folded forms are already equal.
 */
import { NUMBER_WORD_SOURCE, parseNumberWord } from './obligation-rules.ts';
import { COPYRIGHT_MARK, foldText } from './text.ts';

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
// A year alone, for the page's own copyright line ("© 2024 Example AB").
const YEAR_RE = /\b(?:19|20)\d{2}\b/g;
// Dates a page states about itself. A date inside a commitment ("deleted on June 30, 2026",
// "chats from before 2025 are never used") is part of what it promises, so it is never cosmetic.
// ("a previous version of the app" or "as of" a commitment's start are no such cue.)
const PAGE_DATE_CUE_RE = /\b(?:updated?|effect(?:ive)?|revis(?:ed|ion)|modified|amended|version \d[\d.]*|dated|published|posted|valid(?:ity)?|in force|reviewed|issued)\b/i;
// (COPYRIGHT_MARK takes "(c)" only before a year: "(c) data from before 2024 is deleted" is a list item's commitment.)
const COPYRIGHT_RE = new RegExp(String.raw`${COPYRIGHT_MARK}|\ball rights reserved\b`, 'i');
// Links and addresses. Emails may be written out ("privacy [at] example [dot] com") against spam.
// (Phone numbers are addresses too: "1-800-555-0142" = "(800) 555-0142".)
const URL_RE =
  /\+?\(?\b\d{1,4}\)?(?:[\s.-]?\(?\d{2,4}\)?){2,4}\b(?<=\d{4})|\b(?:https?:\/\/|www\.)[^\s)\]]+|\b[\w.+-]+\s*(?:@|\[at\]|\(at\))\s*[\w-]+(?:(?:\.|\s*\[dot\]\s*|\s*\(dot\)\s*)[\w-]+)+|\b[\w-]+(?:\.[\w-]+)*\.(?:com|org|net|io|eu|uk|de|fr|info|app|co|us|ca|au|ai|gov|edu)\b(?:\/[^\s)\]]*)?/gi;
// Words whose small spelling changes flip meaning: never a "typo".
const MEANINGFUL_SHORT = /^(?:not|now|no|may|will|can|must|shall|sell|tell|opt|in|out|un|non)$/i;
// Real words a letter apart that mean different things in a policy: never a "typo".
const CONFUSABLE_WORDS = new Set(['consent', 'content', 'device', 'devise', 'none', 'nine', 'date', 'data', 'sale', 'safe', 'sell', 'self', 'store', 'share', 'shave', 'stare', 'annual', 'annul', 'lawful', 'unlawful', 'public', 'private', 'deny', 'dent']);

export type CosmeticReason = 'date' | 'link' | 'wording' | 'typo' | 'reorder';

/**
 * True when `a` and `b` are one slip apart: a letter inserted, dropped or replaced, two neighbours
 * swapped ("recieve"), or in a long word one letter moved a place or two. Most misspellings are one
 * such slip; other two-letter differences are more often two real words ("sending"/"selling",
 * "stored"/"shared", "biannually"/"biennially").
 */
function oneEditApart(a: string, b: string): boolean {
  if (a === b || Math.abs(a.length - b.length) > 1) return false;
  let start = 0;
  while (start < a.length && a[start] === b[start]) start++;
  let end = 0;
  while (end < a.length - start && end < b.length - start && a[a.length - 1 - end] === b[b.length - 1 - end]) end++;
  const [da, db] = [a.length - start - end, b.length - start - end];
  if (da + db <= 1 || (da === 1 && db === 1)) return true;
  if (da === 2 && db === 2 && a[start] === b[start + 1] && a[start + 1] === b[start]) return true;
  // A letter slipped one place in a long word ("survelliance"): the same letters, a short stretch apart.
  return a.length >= 8 && da === db && da <= 3 && [...a].sort().join('') === [...b].sort().join('');
}

// "forty-five (45)" → "45"; then any number word alone → its digits.
const NUMBER_WITH_DIGITS_RE = new RegExp(String.raw`\b${NUMBER_WORD_SOURCE}\s*\((\d+)\)`, 'g');
const NUMBER_WORD_RE = new RegExp(String.raw`\b${NUMBER_WORD_SOURCE}\b`, 'g');
// Spelling variants an editor's style pass changes; both sides are mapped the same way.
const SPELLING_VARIANTS: ReadonlyArray<[RegExp, string | ((match: string, ...groups: string[]) => string)]> = [
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
  // Contractions, spelled out ("'" is the only apostrophe left after normalizeInline).
  [/\bwon't\b/g, 'will not'],
  [/\bshan't\b/g, 'shall not'],
  [/\bcan(?:'t|not)\b/g, 'can not'],
  [/\b(\w+)n't\b/g, '$1 not'],
  [/\b(we|you|they|it|that|there|who)'(ll|re|ve|s)\b/g, (_: string, who: string, verb: string) => `${who} ${({ ll: 'will', re: 'are', ve: 'have', s: 'is' } as Record<string, string>)[verb]}`],
  [/\butili[sz](e|es|ed|ing)\b/g, 'us$1'],
  [/\butili[sz]ation\b/g, 'use'],
  [/\bin order (to|for)\b/g, '$1'],
  [/\bthe (?:u\.s\.(?:a\.)?|usa|us|united states of america)(?![\w.])/g, 'the united states'],
  // Synonyms a terminology or house-style pass swaps wholesale.
  [/\b(?:might|can)\b/g, 'may'],
  [/\bpersonal information\b/g, 'personal data'],
  [/\bnever\b/g, 'not'],
  [/\b(?:do|does) not\b/g, 'not'],
  [/\bbased (in|outside|within)\b/g, 'located $1'],
  [/\b(\d+) ?\+(?!\d)/g, '$1 and up'],
  [/\b(\d+) and (?:older|over|above)\b/g, '$1 and up'],
  [/\be\.g\.,?/g, 'for example'],
  [/\bi\.e\.,?/g, 'that is'],
  [/(\d) ?(?:%|per ?cent\b)/g, '$1 percent'],
];
// On the folded form: a doubled word ("the the"), and a grammatical -s ("use"/"uses", "right"/"rights").
const DOUBLED_WORD_RE = /\b(\w+)(?: \1\b)+/g;
const PLURAL_S_RE = /\b(\w{2,}[^\Wsui\d])s\b/g;

/** The clause with equivalent spellings made equal, folded: equal forms mean the same words. */
function equivalentWording(text: string): string {
  let canonical = text.toLowerCase().replace(NUMBER_WITH_DIGITS_RE, (_, digits: string) => digits);
  canonical = canonical.replace(NUMBER_WORD_RE, (word) => String(parseNumberWord(word.replace(/\s+/g, ' ')) ?? word));
  for (const [pattern, replacement] of SPELLING_VARIANTS) canonical = canonical.replace(pattern, replacement as string);
  return foldText(canonical).replace(DOUBLED_WORD_RE, '$1').replace(PLURAL_S_RE, '$1');
}

// "European Economic Area (EEA)": capitalised words, then the acronym of their initials.
const ACRONYM_DEFINITION_RE = /((?:\p{Lu}[\p{L}'’]*\s+(?:(?:of|the|and|for|on)\s+)*){2,8})\((\p{Lu}{2,6})\)/gu;

/**
 * The text with each acronym defined in it ("European Economic Area (EEA)") written both ways: the
 * acronym dropped, and the words replaced by it. A policy that starts (or stops) defining an
 * acronym says the same either way, so one of the two readings matches the other version's.
 */
function acronymReadings(text: string): [string, string] {
  const definitions: Array<{ words: string; acronym: string }> = [];
  for (const [, words, acronym] of text.matchAll(ACRONYM_DEFINITION_RE)) {
    const initials = words!.split(/\s+/).filter((w) => /^\p{Lu}/u.test(w)).map((w) => w[0]).join('');
    if (initials.endsWith(acronym!)) {
      // Only the last words the acronym spells are its definition ("Residents of the European …").
      const spelled = words!.trim().split(/\s+/);
      let taken = 0;
      let start = spelled.length;
      while (start > 0 && taken < acronym!.length) if (/^\p{Lu}/u.test(spelled[--start]!)) taken++;
      definitions.push({ words: spelled.slice(start).join(' '), acronym: acronym! });
    }
  }
  let dropped = text;
  let collapsed = text;
  for (const d of definitions) {
    dropped = dropped.replace(`${d.words} (${d.acronym})`, d.words);
    collapsed = collapsed.replace(`${d.words} (${d.acronym})`, d.acronym);
  }
  return [dropped, collapsed];
}

/** The same items of one list in another order ("Experian and Equifax" → "Equifax and Experian"), with the same joining words. */
function sameListReordered(removed: string, added: string): boolean {
  const items = (span: string): string[] =>
    span.split(/\s*(?:[,;/&]|\band\b|\bor\b)\s*/i).map((item) => foldText(item)).filter(Boolean).sort();
  const joiners = (span: string): string => (span.toLowerCase().match(/[,;/&]|\band\b|\bor\b/g) ?? []).join(' ');
  const [r, a] = [items(removed), items(added)];
  return r.length >= 2 && r.length === a.length && r.every((item, i) => item === a[i]) && joiners(removed) === joiners(added);
}

// Words that only hold a sentence together. Pronouns, prepositions of direction ("with", "to",
// "from"), negations, modals, "and"/"or" and numbers are kept: they carry who does what to whom.
const FILLER_WORDS = new Set(['a', 'an', 'the', 'of', 'is', 'are', 'was', 'were', 'be', 'been', 'being', 'this', 'that', 'these', 'those', 'which', 'when', 'once', 'whenever', 'while', 'it', 'its', 'there']);

/** A clause's content words, crudely stemmed ("ended"/"ends" → "end"), sorted: the same bag means the same words rearranged. */
function contentWords(canonical: string): string[] {
  return canonical
    .split(' ')
    .filter((w) => w && !FILLER_WORDS.has(w))
    .map((w) => (w.length > 4 ? w.replace(/(?:ing|ed|es|s)$/, '') : w))
    .sort();
}

// Who does what to whom: pronouns, direction, negation, and names (a capital inside a sentence) and numbers.
const ROLE_WORD_RE = /^(?:we|us|our|ours|you|your|yours|they|them|their|with|to|from|by|for|not|no|never|unless|except|without)$/i;

/** The role words of a clause in order: rearranged words that keep them in order keep their meaning. */
function roleOrder(text: string): string {
  const { words, endsSentence } = tokens(text);
  return words
    .filter((w, i) => ROLE_WORD_RE.test(w) || /\d/.test(w) || (i > 0 && !endsSentence[i - 1] && /^\p{Lu}/u.test(w)))
    .map((w) => w.toLowerCase())
    .join(' ');
}

/** The folded form with the spaces between letters dropped: "web site" = "website", "de-identified" = "deidentified". */
const joined = (folded: string): string => folded.replace(/(?<=\p{L}) (?=\p{L})/gu, '');

/** Words without their surrounding punctuation, and whether each ends a sentence. */
function tokens(value: string): { words: string[]; raws: string[]; endsSentence: boolean[] } {
  const words: string[] = [];
  const raws: string[] = [];
  const endsSentence: boolean[] = [];
  for (const raw of value.split(/\s+/)) {
    const word = raw.replace(/^[("'[]+|[)"'\].,;:!?]+$/g, '');
    if (!word) continue;
    words.push(word);
    raws.push(raw);
    endsSentence.push(/[.!?:]["')\]]*$/.test(raw));
  }
  return { words, raws, endsSentence };
}

/**
 * The words between the common start and the common end of two clauses (case-insensitive). Only
 * whether one word replaced one other matters below, and a single edited stretch gives exactly
 * its words, so trimming both ends stands in for a word diff at a fraction of its cost.
 */
function changedWords(before: string, after: string): { removed: string[]; added: string[]; removedText: string; addedText: string; startsSentence: boolean } {
  const { words: b, raws: bRaw, endsSentence } = tokens(before);
  const { words: a, raws: aRaw } = tokens(after);
  const same = (x: string, y: string): boolean => x.toLowerCase() === y.toLowerCase();
  let start = 0;
  while (start < b.length && start < a.length && same(b[start]!, a[start]!)) start++;
  let end = 0;
  while (end < b.length - start && end < a.length - start && same(b[b.length - 1 - end]!, a[a.length - 1 - end]!)) end++;
  // A sentence starts at the changed word when it opens the clause or follows a full stop.
  const startsSentence = start === 0 || endsSentence[start - 1] === true;
  return {
    removed: b.slice(start, b.length - end),
    added: a.slice(start, a.length - end),
    removedText: bRaw.slice(start, b.length - end).join(' '),
    addedText: aRaw.slice(start, a.length - end).join(' '),
    startsSentence,
  };
}

/**
 * A misspelt word put right: one edit apart, at least 4 letters, not a number or a word whose
 * small changes flip meaning, and not a name. A capital inside a sentence marks a name
 * ("Ireland"/"Iceland", "Austria"/"Australia"), where one letter is another place or company.
 */
function isSpellingFix(removed: string, added: string, atSentenceStart: boolean): boolean {
  const [r, a] = [removed.toLowerCase(), added.toLowerCase()];
  if (!/^\p{L}{4,}$/u.test(r) || !/^\p{L}{4,}$/u.test(a)) return false;
  if (MEANINGFUL_SHORT.test(r) || MEANINGFUL_SHORT.test(a) || parseNumberWord(r) !== undefined || parseNumberWord(a) !== undefined) return false;
  if (CONFUSABLE_WORDS.has(r) && CONFUSABLE_WORDS.has(a)) return false;
  if (!atSentenceStart && (/^\p{Lu}/u.test(removed) || /^\p{Lu}/u.test(added))) return false;
  return oneEditApart(r, a);
}

/** Why `before` → `after` is cosmetic, or undefined when the words that changed carry meaning. */
export function cosmeticReason(before: string, after: string): CosmeticReason | undefined {
  const { removed, added, removedText, addedText, startsSentence } = changedWords(before, after);
  if (removed.length + added.length === 0) return undefined;
  const without = (text: string, re: RegExp): string => foldText(text.replace(re, ' '));
  // String.search ignores the global regexes' lastIndex, so they stay reusable.
  if (before.search(DATE_EXPRESSION_RE) >= 0 && PAGE_DATE_CUE_RE.test(before) && without(before, DATE_EXPRESSION_RE) === without(after, DATE_EXPRESSION_RE)) return 'date';
  if (COPYRIGHT_RE.test(before) && before.search(YEAR_RE) >= 0 && without(before, YEAR_RE) === without(after, YEAR_RE)) return 'date';
  if ((before.search(URL_RE) >= 0 || after.search(URL_RE) >= 0) && without(before, URL_RE) === without(after, URL_RE)) return 'link';
  const [canonicalBefore, canonicalAfter] = [equivalentWording(before), equivalentWording(after)];
  if (canonicalBefore === canonicalAfter || joined(canonicalBefore) === joined(canonicalAfter)) return 'wording';
  // The same content words in another construction: "Route tracking stops when the walk is ended"
  // → "Tracking of the route stops once the walk ends".
  const [wordsBefore, wordsAfter] = [contentWords(canonicalBefore), contentWords(canonicalAfter)];
  if (wordsBefore.length >= 4 && wordsBefore.length === wordsAfter.length && wordsBefore.every((w, i) => w === wordsAfter[i]) && roleOrder(before) === roleOrder(after)) {
    return 'wording';
  }
  if (/\(\p{Lu}{2,6}\)/u.test(before) || /\(\p{Lu}{2,6}\)/u.test(after)) {
    const canonical = (text: string): Set<string> => new Set(acronymReadings(text).map(equivalentWording));
    const afterReadings = canonical(after);
    if ([...canonical(before)].some((reading) => afterReadings.has(reading))) return 'wording';
  }
  if (removed.length === added.length && sameListReordered(removedText, addedText)) return 'reorder';
  // Each changed word put right in place: "informaton we colect" → "information we collect".
  if (removed.length === added.length && removed.length <= 6) {
    if (removed.every((r, i) => r.toLowerCase() === added[i]!.toLowerCase() || isSpellingFix(r, added[i]!, startsSentence && i === 0))) return 'typo';
  }
  return undefined;
}
