/**
 * Clause text → typed facts (retention periods, response deadlines, age thresholds, named third
 * parties, granted rights, transfer countries). Sentence by sentence: a duration, a name or a
 * country only counts with a cue in its own sentence, which is what keeps "within the last 12
 * months" or "contact us at IMVU, Inc." from being read as obligations.
 */
import {
  ACCOUNT_LIFETIME_RE, ARTICLE_PERIOD_PREFIX_RE, AS_LONG_AS_NECESSARY_RE, DEADLINE_PREFIX_RE, DELETION_VERB_NEAR_RE,
  GRANT_CUE_RE, IMPERATIVE_GRANT_RE, INDEFINITE_RE, ON_REQUEST_GRANT_RE, RIGHT_NAME_LINE_RE, NEGATION_RE, NOT_A_PERIOD_PREFIX_RE, NUMBER_WORD_SOURCE, UNTIL_WITHDRAWN_RE,
  RESPONSE_CUE_RE, RETENTION_CUE_RE, RIGHT_MENTION_RES, RIGHT_NAMES, SELF_GRANTING_RIGHTS, parseNumberWord, type RightName,
} from './obligation-rules.ts';
import { REGION_ACRONYM_RE, REGION_NAME_RE, canonicalRegion } from './regions.ts';
import { endsWithAbbreviation, normalizeInline } from './text.ts';
import { collectThirdParties } from './third-parties.ts';

/** A period stated by a clause. */
export interface DurationFact {
  /**
   * ISO 8601 duration ("P30D", "P12M", "P1Y", "PT72H"; months stay months), or for open-ended
   * periods one of 'account-lifetime', 'as-long-as-necessary', 'indefinite', 'until-withdrawn'.
   */
  iso: string;
  /** Readable wording: "30 days", "10 business days", "as long as your account is active". */
  text: string;
}

/** Everything obligation-relevant found in a clause. */
export interface ObligationFacts {
  /** In text order, repeats kept (they are compared as sequences). */
  retentionPeriods: DurationFact[];
  responseDeadlines: DurationFact[];
  /** Distinct ages, ascending. */
  ageThresholds: number[];
  /** Distinct organisation names (legal suffixes dropped), sorted. */
  thirdParties: string[];
  /** Rights the clause grants, in RIGHT_NAMES order. */
  rights: RightName[];
  /** Canonical country/region names data is stored in or sent to, sorted. */
  transferCountries: string[];
}

// A cue further than this from a duration (same sentence) says nothing about it.
const CUE_WINDOW = 150;
const COUNTRY_CUE_WINDOW = 100;
const UNIT_LETTERS: Readonly<Record<string, string>> = { hour: 'H', day: 'D', week: 'W', month: 'M', year: 'Y' };
// Abbreviated and larger units, as the unit the ISO value is written in.
const UNIT_ALIASES: Readonly<Record<string, string>> = { hr: 'hour', wk: 'week', mo: 'month', yr: 'year' };
// A fractional amount is restated in the next smaller unit: "1.5 years" is 18 months.
const SMALLER_UNIT: Readonly<Record<string, [string, number]>> = { year: ['month', 12], month: ['day', 30], week: ['day', 7], day: ['hour', 24] };

// "30 days", "thirty (30) days", "a decade", "1.5 years", "one and a half years", "two further
// months", "18 mos.", "10 business days"; not "13 years old".
const DURATION_RE = new RegExp(
  String.raw`(?<![\w.-])(?:(${NUMBER_WORD_SOURCE})(?:\s*\(\s*(\d{1,4})\s*\))?|(\d{1,4}(?:\.\d{1,2})?)(?:\s*\(\s*[a-z -]+\s*\))?|(an?|half(?:\s+an?)?))(\s+and\s+a\s+half)?[\s-]+(?:(?:further|additional|more|extra)\s+)?(?:(business|working|calendar)\s+)?(hours?|hrs?|days?|weeks?|wks?|months?|mos?|years?|yrs?|decades?)\b(?!\s+(?:old|of age|or older|and older|or over)\b)`,
  'g',
);
const AGE = String.raw`(\d{1,2}|${NUMBER_WORD_SOURCE})`;
const AGE_EXPLICIT_RE = new RegExp(
  String.raw`\b(?:ages?|aged)\s+(?:of\s+)?${AGE}(?:\s*(?:to|and|-|through)\s*${AGE})?\b|\b${AGE}\s*(?:\+|years?\s+(?:old|of age)|(?:or|and)\s+(?:older|over|above|younger|under)\b)|\b(?:younger|older)\s+than\s+${AGE}\b`,
  'g',
);
const AGE_COMPARISON_RE = new RegExp(
  String.raw`\b(?:under|below|over|above|at least)\s+${AGE}\b(?!\s*(?:days?|weeks?|months?|hours?|minutes?|%|percent|business|calendar|times|countries|years?(?!\s+(?:old|of age))|[.,]\d))`,
  'g',
);
// "under 16" is only an age when the sentence is about people or age ("you must be at least 18 to use").
const AGE_CONTEXT_RE = /\b(?:child\w*|minors?|age|aged|old|teens?|teenagers?|parent\w*|guardians?|coppa|kids?|young\w*|you are|you (?:must|need to|have to) be|anyone|individuals|persons|people|users)\b/;
// Where data goes, and where the people who handle it work ("support team based in", "customer service
// from"). "Acme is based in Sweden" alone is where the company is, not a transfer.
const COUNTRY_CUE_RE = /\b(?:transfer\w*|stor(?:e|ed|es|ing|age)|servers?|data ?cent(?:er|re)s?|datacent(?:er|re)s?|host(?:ed|ing|s)?|process(?:es|ed|ing)?|cross[- ]border|international(?:ly)?|overseas|abroad|jurisdictions?|housed|kept|maintained|sent|moved|accessed|(?:teams?|staff|employees|personnel|agents?|contractors?|support|service|cent(?:er|re)s?|partners?|providers?|processors?|vendors?|suppliers?|affiliates?|subsidiar(?:y|ies)|servers?|data|information)\b[^.;]{0,80}?\b(?:based|located|situated)|customer (?:service|support|care)|support (?:teams?|staff|agents?|contractors?|cent(?:er|re)s?)|(?:call|contact) cent(?:er|re)s?)\b/i;
// "If you are based in the EEA", "residents located in Brazil": where the reader is, not where data goes.
const PERSON_LOCATION_PREFIX_RE = /\b(?:you|users?|residents?|consumers?|individuals?|visitors?|customers?|people|children)(?: \w+){0,2} (?:based|located|situated|resid\w*|living|live) (?:in|within|outside(?: of)?) (?:the )?$/i;
// "customer service from Portugal" is where the work is done, not where data comes from.
const SERVICE_FROM_PREFIX_RE = /\b(?:service|support|care|operat\w*|work\w*|staffed|serv\w*)\s+from\s+(?:the\s+)?$/i;
// "the EU Standard Contractual Clauses", "UK GDPR", "EU residents": the place qualifies a law or people; data goes nowhere.
const REGION_AS_ADJECTIVE_RE = /^\s+(?:standard contractual clauses|model (?:contract )?clauses|sccs?|gdpr|general data protection|data protection (?:law|regulation|authorit)|laws?|legislation|regulations?|representative|commission|citizens?|residents?|users?|customers?|individuals?|data subjects?)\b/i;
// "(United States)", "(Ireland and Germany)": a location in parentheses after a named processor.
const PAREN_RE = /\(([^()]{2,80})\)/g;
// Cheap substring checks that skip the heavier patterns on sentences that cannot match them.
const PERIOD_WORDS = ['hour', 'hr', 'day', 'week', 'wk', 'month', 'mos', 'year', 'yr', 'decade'];
const OPEN_ENDED_WORDS = ['long as', 'longer than', 'until', 'life', 'duration of', 'period', 'indefinite', 'permanent', 'forever', 'perpetuity', 'time limit'];
const AGE_WORDS = ['age', 'old', 'young', 'under', 'below', 'over', 'above', 'least', '+'];
const ORIGIN_PREFIX_RE = /\b(?:outside|from)\s+(?:of\s+)?(?:the\s+)?$/i;
const SENTENCE_END_RE = /[.!?]["')\]]*\s+(?=["'(\[]?[A-Z0-9])/g;

/** Lines, then sentences; "e.g. Google" and "Stripe, Inc. and" do not end a sentence. */
function splitSentences(text: string): string[] {
  const sentences: string[] = [];
  for (const rawLine of text.split(/\n+/)) {
    const line = normalizeInline(rawLine);
    let start = 0;
    for (const end of line.matchAll(SENTENCE_END_RE)) {
      if (endsWithAbbreviation(line.slice(start, end.index + 1))) continue;
      sentences.push(line.slice(start, end.index + end[0].length).trim());
      start = end.index + end[0].length;
    }
    if (line.slice(start).trim()) sentences.push(line.slice(start).trim());
  }
  return sentences;
}

function cueSpans(lower: string, cue: RegExp): Array<[number, number]> {
  return [...lower.matchAll(cue)].map((m) => [m.index, m.index + m[0].length]);
}

function distanceToNearest(spans: Array<[number, number]>, start: number, end: number): number {
  let best = Infinity;
  for (const [from, to] of spans) best = Math.min(best, to <= start ? start - to : from >= end ? from - end : 0);
  return best;
}

function durationFact(match: RegExpMatchArray): DurationFact {
  const [, word, wordDigits, digits, article, andAHalf, qualifier, rawUnit = 'day'] = match;
  // "thirty (30)": the digits win; a bare "a month" is one, "half a year" a half.
  let value = Number(wordDigits ?? digits) || (word ? parseNumberWord(word.replace(/\s+/g, ' ')) : undefined) || (article?.startsWith('half') ? 0.5 : 1);
  if (andAHalf) value += 0.5;
  let unit = rawUnit.replace(/s$/, '');
  unit = UNIT_ALIASES[unit] ?? unit;
  if (unit === 'decade') [unit, value] = ['year', value * 10];
  const smaller = SMALLER_UNIT[unit];
  if (!Number.isInteger(value) && smaller) [unit, value] = [smaller[0], Math.round(value * smaller[1])];
  const letter = UNIT_LETTERS[unit] ?? 'D';
  const iso = letter === 'H' ? `PT${value}H` : `P${value}${letter}`;
  return { iso, text: `${value} ${qualifier ? `${qualifier} ` : ''}${unit}${value === 1 ? '' : 's'}` };
}

function collectDurations(lower: string, retention: DurationFact[], deadlines: DurationFact[], inRetentionSection: boolean): void {
  const mayStateDuration = PERIOD_WORDS.some((word) => lower.includes(word));
  if (!mayStateDuration && !OPEN_ENDED_WORDS.some((word) => lower.includes(word))) return;
  const retentionCues = cueSpans(lower, RETENTION_CUE_RE);
  const responseCues = cueSpans(lower, RESPONSE_CUE_RE);
  const found: Array<{ at: number; fact: DurationFact; retention: boolean }> = [];
  for (const match of mayStateDuration ? lower.matchAll(DURATION_RE) : []) {
    const prefix = lower.slice(Math.max(0, match.index - 40), match.index);
    if (NOT_A_PERIOD_PREFIX_RE.test(prefix)) continue;
    if (match[4] && !ARTICLE_PERIOD_PREFIX_RE.test(prefix)) continue;
    const end = match.index + match[0].length;
    const toRetention = distanceToNearest(retentionCues, match.index, end);
    let toResponse = distanceToNearest(responseCues, match.index, end);
    if (DEADLINE_PREFIX_RE.test(prefix)) toResponse /= 2;
    const cued = Math.min(toRetention, toResponse) <= CUE_WINDOW;
    // A bare period in a retention section ("Support tickets | 2 years" in a table) is a retention period.
    if (!cued && !inRetentionSection) continue;
    found.push({ at: match.index, fact: durationFact(match), retention: cued ? toRetention <= toResponse : true });
  }
  // In a retention section a bare "Indefinitely" (a table cell) needs no cue word.
  if (retentionCues.length > 0 || inRetentionSection) {
    const openEnded: Array<[RegExp, string]> = [
      [ACCOUNT_LIFETIME_RE, 'account-lifetime'],
      [AS_LONG_AS_NECESSARY_RE, 'as-long-as-necessary'],
      [INDEFINITE_RE, 'indefinite'],
      [UNTIL_WITHDRAWN_RE, 'until-withdrawn'],
    ];
    for (const [pattern, iso] of openEnded) {
      for (const match of lower.matchAll(pattern)) {
        const around = lower.slice(Math.max(0, match.index - 15), match.index + match[0].length + 15);
        if (iso === 'indefinite' && DELETION_VERB_NEAR_RE.test(around)) continue;
        found.push({ at: match.index, fact: { iso, text: match[0].replace(/^for /, '') }, retention: true });
      }
    }
  }
  for (const { fact, retention: isRetention } of found.sort((a, b) => a.at - b.at)) (isRetention ? retention : deadlines).push(fact);
}

function collectAges(lower: string, ages: Set<number>): void {
  if (!AGE_WORDS.some((word) => lower.includes(word))) return;
  const add = (value: string | undefined): void => {
    const age = value === undefined ? undefined : /^\d+$/.test(value) ? Number(value) : parseNumberWord(value);
    if (age !== undefined && age >= 5 && age <= 25) ages.add(age);
  };
  for (const match of lower.matchAll(AGE_EXPLICIT_RE)) match.slice(1).forEach(add);
  if (AGE_CONTEXT_RE.test(lower)) for (const match of lower.matchAll(AGE_COMPARISON_RE)) add(match[1]);
}

function collectRights(lower: string, rights: Set<RightName>): void {
  const grants = cueSpans(lower, GRANT_CUE_RE);
  // Grants that need no subject: an imperative, a bare right name in a list, a promise to act on request.
  const imperative = IMPERATIVE_GRANT_RE.test(lower) || RIGHT_NAME_LINE_RE.test(lower) || ON_REQUEST_GRANT_RE.test(lower);
  for (const name of RIGHT_NAMES) {
    if (grants.length === 0 && !imperative && !SELF_GRANTING_RIGHTS.has(name)) continue;
    for (const mention of lower.matchAll(RIGHT_MENTION_RES[name])) {
      if (SELF_GRANTING_RIGHTS.has(name)) {
        rights.add(name);
        break;
      }
      // The grant must come first; negation is only read between it and the mention.
      const grant = grants.filter(([from]) => from <= mention.index).at(-1);
      if (!grant && !imperative) continue;
      const from = grant ? Math.max(0, grant[0] - 12) : 0;
      if (NEGATION_RE.test(lower.slice(from, mention.index))) continue;
      rights.add(name);
      break;
    }
  }
}

function collectTransferCountries(sentence: string, countries: Set<string>, namesOrganisation: boolean): void {
  if (namesOrganisation) {
    // A processor listed with its location in parentheses ("Intercom – support chat (Ireland)").
    for (const [, inside = ''] of sentence.matchAll(PAREN_RE)) {
      const places = inside.split(/\s*(?:,|\band\b|&|\/)\s*/).map((part) => canonicalRegion(part.replace(/^the\s+/i, '')));
      if (places.every((place) => place !== undefined)) for (const place of places) countries.add(place);
    }
  }
  if (!COUNTRY_CUE_RE.test(sentence)) return;
  for (const pattern of [REGION_NAME_RE, REGION_ACRONYM_RE]) {
    for (const match of sentence.matchAll(pattern)) {
      const before = sentence.slice(Math.max(0, match.index - COUNTRY_CUE_WINDOW), match.index);
      // ("EEA") after "European Economic Area" restates the place before it, with that place's reading.
      if (!COUNTRY_CUE_RE.test(before) || PERSON_LOCATION_PREFIX_RE.test(before) || /\(\s*["'“‘]?$/.test(before)) continue;
      if (ORIGIN_PREFIX_RE.test(before) && !SERVICE_FROM_PREFIX_RE.test(before)) continue;
      if (REGION_AS_ADJECTIVE_RE.test(sentence.slice(match.index + match[0].length))) continue;
      const canonical = canonicalRegion(match[0]);
      if (canonical) countries.add(canonical);
    }
  }
}

/** Where a clause stands, when that changes what its words mean. */
export interface ClauseContext {
  /** The clause's section is about retention (its heading says so): bare periods are retention periods. */
  inRetentionSection?: boolean;
  /** Names of the policy's owner and its products (see `policyOwnNames`): never a third party. */
  ownNames?: readonly string[];
}

/** All obligation-relevant facts a clause states. */
export function extractFacts(text: string, context: ClauseContext = {}): ObligationFacts {
  const retentionPeriods: DurationFact[] = [];
  const responseDeadlines: DurationFact[] = [];
  const ages = new Set<number>();
  const parties = new Map<string, string>();
  const rights = new Set<RightName>();
  const countries = new Set<string>();
  for (const sentence of splitSentences(text)) {
    const lower = sentence.toLowerCase();
    collectDurations(lower, retentionPeriods, responseDeadlines, context.inRetentionSection === true);
    collectAges(lower, ages);
    collectRights(lower, rights);
    const named = new Map<string, string>();
    collectThirdParties(sentence, named);
    for (const [key, name] of named) if (!parties.has(key)) parties.set(key, name);
    collectTransferCountries(sentence, countries, named.size > 0);
  }
  // The owner, and products named after it ("Nestwise Hub"), are not recipients.
  const own = (context.ownNames ?? []).map((name) => name.toLowerCase());
  for (const key of parties.keys()) if (own.some((name) => key === name || key.startsWith(`${name} `))) parties.delete(key);
  return {
    retentionPeriods,
    responseDeadlines,
    ageThresholds: [...ages].sort((a, b) => a - b),
    thirdParties: [...parties.values()].sort((a, b) => a.localeCompare(b, 'en')),
    rights: RIGHT_NAMES.filter((name) => rights.has(name)),
    transferCountries: [...countries].sort((a, b) => a.localeCompare(b, 'en')),
  };
}
