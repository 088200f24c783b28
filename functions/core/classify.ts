/**
 * Clause → categories (DESIGN §2), by transparent weighted cues (`category-rules.ts`).
 *
 * Called on every changed clause, so it is built for speed: rules are compiled once at load into
 * sticky regexes, the clause is lower-cased once and walked word by word, and each cue is only
 * tried at words it can start with (`CategoryRule.starts`). A regex scanning a whole clause costs
 * microseconds; a sticky attempt at one offset costs a few tens of nanoseconds.
 */
import { CATEGORY_RULES, CATEGORY_THRESHOLD, HEADING_RULES, HEADING_WEIGHT } from './category-rules.ts';
import { CATEGORIES, type Category } from './types.ts';

/** Per-category scores of one clause; a category applies when its score reaches the threshold. */
export type CategoryScores = Record<Category, number>;

/** One cue that matched, for explaining a classification. */
export interface CategoryEvidence {
  category: Category;
  /** Where the cue matched: the clause itself or its heading trail. */
  source: 'text' | 'heading';
  weight: number;
  /** The cue's pattern source, so a reader can see exactly what fired. */
  cue: string;
  /** The text the cue matched. */
  match: string;
}

interface CompiledRule {
  category: Category;
  weight: number;
  sticky: RegExp;
}

const KEY_LENGTH = 4;
const NUMBER_KEY = packKey('#', 0, 1);

/**
 * A word's first 4 characters packed into one small integer (base 128; word characters are ASCII),
 * so indexing a clause allocates no strings and looks up integer keys.
 */
function packKey(text: string, start: number, end: number): number {
  let key = 0;
  for (let i = start; i < end && i < start + KEY_LENGTH; i++) key = key * 128 + text.charCodeAt(i);
  return key;
}

function startKey(start: string): number {
  if (!/^(?:[a-z0-9]+|#|@)$/.test(start)) throw new Error(`Category rule start "${start}" is not a lower-case word; this is a bug`);
  return packKey(start, 0, start.length);
}

/** Every rule, compiled sticky so it is tried at one offset, never scanned across the clause. */
const RULES: readonly CompiledRule[] = CATEGORIES.flatMap((category) =>
  CATEGORY_RULES[category].map((rule) => ({
    category,
    weight: rule.weight,
    sticky: new RegExp(rule.pattern.source, `${rule.pattern.flags.replace(/[gy]/g, '')}y`),
  })),
);

/** Word key → indexes (into RULES) of the rules a word with that key can start. */
const RULES_BY_KEY: ReadonlyMap<number, readonly number[]> = (() => {
  const byKey = new Map<number, number[]>();
  let index = 0;
  for (const category of CATEGORIES) {
    for (const rule of CATEGORY_RULES[category]) {
      for (const key of new Set(rule.starts.map(startKey))) {
        const list = byKey.get(key);
        if (list) list.push(index);
        else byKey.set(key, [index]);
      }
      index++;
    }
  }
  return byKey;
})();

const ZERO_SCORES = Object.fromEntries(CATEGORIES.map((category) => [category, 0])) as CategoryScores;

const WHITESPACE_RE = /\s{2,}|[^\S ]/g;
const CURLY_APOSTROPHE_RE = /[\u2018\u2019]/g;

/** The form rules are written against: lower case, single spaces, straight apostrophes. */
export function prepareClause(text: string): string {
  let clause = text.toLowerCase().replace(WHITESPACE_RE, ' ');
  if (clause.includes('\u2019') || clause.includes('\u2018')) clause = clause.replace(CURLY_APOSTROPHE_RE, "'");
  return clause;
}

// Word characters as the regex \b sees them: [a-z0-9_] (the clause is already lower-case).
function isWordChar(code: number): boolean {
  return (code >= 97 && code <= 122) || (code >= 48 && code <= 57) || code === 95;
}

/**
 * One pass over the clause's words: at each word, try the not-yet-matched rules that can start
 * with it. Returns each rule's first match (null where the rule never matched), indexed like RULES.
 */
function matchRules(clause: string): Array<string | null> {
  const matches = new Array<string | null>(RULES.length).fill(null);
  const tryRules = (key: number, at: number): void => {
    const candidates = RULES_BY_KEY.get(key);
    if (!candidates) return;
    for (const index of candidates) {
      if (matches[index] !== null) continue;
      const sticky = RULES[index]!.sticky;
      sticky.lastIndex = at;
      const found = sticky.exec(clause);
      if (found) matches[index] = found[0];
    }
  };
  for (let i = 0; i < clause.length; ) {
    const code = clause.charCodeAt(i);
    if (code === 64) tryRules(code, i++);
    else if (!isWordChar(code)) i++;
    else {
      const start = i;
      let digitsOnly = true;
      for (; i < clause.length && isWordChar(clause.charCodeAt(i)); i++) if (clause.charCodeAt(i) > 57) digitsOnly = false;
      tryRules(digitsOnly ? NUMBER_KEY : packKey(clause, start, i), start);
    }
  }
  return matches;
}

function prepareHeading(headingPath: readonly string[] | undefined): string {
  return headingPath && headingPath.length > 0 ? prepareClause(headingPath.join(' > ')) : '';
}

/** Scores every category for a clause; the heading trail adds HEADING_WEIGHT as context. */
export function scoreCategories(text: string, headingPath?: readonly string[]): CategoryScores {
  const matches = matchRules(prepareClause(text));
  const heading = prepareHeading(headingPath);
  const scores = { ...ZERO_SCORES };
  if (heading) for (const category of CATEGORIES) if (HEADING_RULES[category].test(heading)) scores[category] += HEADING_WEIGHT;
  for (let index = 0; index < RULES.length; index++) if (matches[index] !== null) scores[RULES[index]!.category] += RULES[index]!.weight;
  return scores;
}

/**
 * Categories a clause is about, strongest first (ties in vocabulary order). Text dominates: a
 * heading alone never reaches the threshold, it only tips a clause that has a weak cue of its own.
 */
export function classifyClause(text: string, headingPath?: readonly string[]): Category[] {
  const scores = scoreCategories(text, headingPath);
  return CATEGORIES.filter((category) => scores[category] >= CATEGORY_THRESHOLD).sort(
    (a, b) => scores[b] - scores[a] || CATEGORIES.indexOf(a) - CATEGORIES.indexOf(b),
  );
}

/** Every cue that matched a clause, for "why was this tagged retention?" questions. */
export function explainCategories(text: string, headingPath?: readonly string[]): CategoryEvidence[] {
  const matches = matchRules(prepareClause(text));
  const heading = prepareHeading(headingPath);
  const evidence: CategoryEvidence[] = [];
  RULES.forEach((rule, index) => {
    const match = matches[index];
    if (match !== null && match !== undefined) evidence.push({ category: rule.category, source: 'text', weight: rule.weight, cue: rule.sticky.source, match });
  });
  for (const category of CATEGORIES) {
    const found = heading ? HEADING_RULES[category].exec(heading) : null;
    if (found) evidence.push({ category, source: 'heading', weight: HEADING_WEIGHT, cue: HEADING_RULES[category].source, match: found[0] });
  }
  return evidence;
}
