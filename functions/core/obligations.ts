/**
 * Obligation deltas between two versions of a clause (DESIGN §2 "Change"): what a reader must not
 * miss, typed — a retention period that grew, a right that disappeared, a new processor, a new
 * destination country. `describeObligation` is the one line users read first in an email.
 */
import { diffArrays } from 'diff';
import { extractFacts, type ClauseContext, type DurationFact, type ObligationFacts } from './obligation-facts.ts';
import type { Obligation } from './types.ts';

export { extractFacts, type DurationFact, type ObligationFacts } from './obligation-facts.ts';
export { RIGHT_NAMES, type RightName } from './obligation-rules.ts';

type PeriodType = 'retention-period' | 'response-deadline';
type ListType = 'third-party' | 'right' | 'transfer-country';

const NO_FACTS: ObligationFacts = {
  retentionPeriods: [],
  responseDeadlines: [],
  ageThresholds: [],
  thirdParties: [],
  rights: [],
  transferCountries: [],
};

/**
 * What makes two periods the same commitment: "1 year" and "12 months" (or "1 week" and "7 days")
 * are one period reworded, so they compare equal; "10 business days" and "10 days" are not.
 */
function periodKey(period: DurationFact): string {
  const parts = /^P(?:T(\d+)H|(\d+)([DWMY]))$/.exec(period.iso);
  if (!parts) return period.iso;
  const [, hours, amount, unit] = parts;
  if (hours) return `${hours}H`;
  const value = Number(amount);
  const business = /\b(?:business|working)\b/.test(period.text) ? 'B' : '';
  if (unit === 'Y' || unit === 'M') return `${unit === 'Y' ? value * 12 : value}M`;
  return `${business}${unit === 'W' ? value * 7 : value}D`;
}

function periodDelta(type: PeriodType, before: DurationFact | undefined, after: DurationFact | undefined): Obligation {
  return {
    type,
    before: before?.iso ?? null,
    after: after?.iso ?? null,
    ...(before ? { beforeText: before.text } : {}),
    ...(after ? { afterText: after.text } : {}),
  };
}

/**
 * Periods are compared as sequences: periods both versions state (LCS, via jsdiff) cancel out,
 * and what remains between two shared periods is paired by position — one delta per changed
 * pair, with `null` on the side that has no counterpart (a period added or dropped).
 */
function diffPeriods(type: PeriodType, before: DurationFact[], after: DurationFact[]): Obligation[] {
  const deltas: Obligation[] = [];
  let removed: DurationFact[] = [];
  let added: DurationFact[] = [];
  const flush = (): void => {
    for (let i = 0; i < Math.max(removed.length, added.length); i++) deltas.push(periodDelta(type, removed[i], added[i]));
    removed = [];
    added = [];
  };
  for (const part of diffArrays(before, after, { comparator: (a, b) => periodKey(a) === periodKey(b) })) {
    if (part.removed) removed.push(...part.value);
    else if (part.added) added.push(...part.value);
    else flush();
  }
  flush();
  return deltas;
}

function diffList(type: ListType, before: readonly string[], after: readonly string[]): Obligation[] {
  const fold = (names: readonly string[]): Set<string> => new Set(names.map((name) => name.toLowerCase()));
  const beforeKeys = fold(before);
  const afterKeys = fold(after);
  const added = after.filter((name) => !beforeKeys.has(name.toLowerCase()));
  const removed = before.filter((name) => !afterKeys.has(name.toLowerCase()));
  return added.length > 0 || removed.length > 0 ? [{ type, added, removed }] : [];
}

/**
 * The obligation deltas from one version of a clause to the next (null = the clause does not
 * exist on that side). Order: retention, response deadline, age, third parties, rights, countries.
 * Age compares the thresholds each side states, lowest first, and reports the first that differs.
 */
export function diffObligations(before: string | null, after: string | null, context: ClauseContext = {}): Obligation[] {
  const was = before ? extractFacts(before, context) : NO_FACTS;
  const now = after ? extractFacts(after, context) : NO_FACTS;
  // The first threshold that differs: "13" → "16", or the upper bound of "between 13 and 16" → "… and 18".
  const ageAt = was.ageThresholds.findIndex((age, i) => now.ageThresholds[i] !== age);
  const firstDifferent = ageAt >= 0 ? ageAt : now.ageThresholds.length > was.ageThresholds.length ? was.ageThresholds.length : -1;
  const ageBefore = firstDifferent < 0 ? null : (was.ageThresholds[firstDifferent] ?? null);
  const ageAfter = firstDifferent < 0 ? null : (now.ageThresholds[firstDifferent] ?? null);
  return [
    ...diffPeriods('retention-period', was.retentionPeriods, now.retentionPeriods),
    ...diffPeriods('response-deadline', was.responseDeadlines, now.responseDeadlines),
    ...(ageBefore !== ageAfter ? [{ type: 'age-threshold' as const, before: ageBefore, after: ageAfter }] : []),
    ...diffList('third-party', was.thirdParties, now.thirdParties),
    ...diffList('right', was.rights, now.rights),
    ...diffList('transfer-country', was.transferCountries, now.transferCountries),
  ];
}

const OPEN_ENDED_WORDING: Readonly<Record<string, string>> = {
  'account-lifetime': 'as long as the account is active',
  'as-long-as-necessary': 'as long as necessary',
  indefinite: 'indefinitely',
  'until-withdrawn': 'until consent is withdrawn',
};
const UNIT_NAMES: Readonly<Record<string, string>> = { H: 'hour', D: 'day', W: 'week', M: 'month', Y: 'year' };
const NOT_STATED = 'not stated';

/** Readable wording of an ISO duration or open-ended token, for deltas that carry no text. */
function describePeriod(iso: string | null, text: string | undefined): string {
  if (text) return text;
  if (iso === null) return NOT_STATED;
  const parts = /^P(?:T(\d+)(H)|(\d+)([DWMY]))$/.exec(iso);
  if (!parts) return OPEN_ENDED_WORDING[iso] ?? iso;
  const value = Number(parts[1] ?? parts[3]);
  const unit = UNIT_NAMES[parts[2] ?? parts[4] ?? 'D'];
  return `${value} ${unit}${value === 1 ? '' : 's'}`;
}

function describeList(label: string, added: string[], removed: string[], render: (item: string) => string): string {
  const parts = [
    ...(added.length > 0 ? [`added: ${added.map(render).join(', ')}`] : []),
    ...(removed.length > 0 ? [`removed: ${removed.map(render).join(', ')}`] : []),
  ];
  return `${label} ${parts.join('; ')}`;
}

// Right ids are hyphenated for data; a reader sees "withdraw consent".
const renderRight = (right: string): string => (right === 'withdraw-consent' ? 'withdraw consent' : right);
const asIs = (item: string): string => item;

/**
 * One human line for a delta, e.g. "Data retention: 30 days → 12 months",
 * "Children's age threshold: 13 → 16", "Third parties added: Acme Analytics".
 */
export function describeObligation(obligation: Obligation): string {
  switch (obligation.type) {
    case 'retention-period':
      return `Data retention: ${describePeriod(obligation.before, obligation.beforeText)} → ${describePeriod(obligation.after, obligation.afterText)}`;
    case 'response-deadline':
      return `Response deadline: ${describePeriod(obligation.before, obligation.beforeText)} → ${describePeriod(obligation.after, obligation.afterText)}`;
    case 'age-threshold':
      return `Children's age threshold: ${obligation.before ?? NOT_STATED} → ${obligation.after ?? NOT_STATED}`;
    case 'third-party':
      return describeList('Third parties', obligation.added, obligation.removed, asIs);
    case 'right':
      return describeList('Rights', obligation.added, obligation.removed, renderRight);
    case 'transfer-country':
      return describeList('Transfer countries', obligation.added, obligation.removed, asIs);
  }
}
