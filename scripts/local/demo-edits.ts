/**
 * Realistic edits of the seed policies, for the demo (`npm run demo:edit`) and the flow tests:
 * one material edit per seed (a retention period or a response deadline, the kind of change
 * subscribers care about) and a cosmetic one that must never alert anybody.
 */

export interface Edit {
  /** The edited source text. */
  text: string;
  summary: string;
  before: string;
  after: string;
}

interface Replacement {
  find: string;
  replace: string;
  summary: string;
}

const MATERIAL_EDITS: Record<string, Replacement> = {
  'imou-privacy': {
    find: 'And the retention periods of alarm messages, alarm snapshots and IP addresses in API logs are just 7 days.',
    replace: 'And the retention periods of alarm messages, alarm snapshots and IP addresses in API logs are 12 months.',
    summary: 'retention of alarm messages, snapshots and API-log IP addresses: 7 days → 12 months',
  },
  'imvu-privacy': {
    find: 'or as may otherwise be required under GDPR.',
    replace: 'or as may otherwise be required under GDPR. We keep chat logs and account data for 5 years after your account is closed.',
    summary: 'new retention period: chat logs and account data kept 5 years after the account is closed',
  },
  'tim-privacy': {
    find: 'You will receive a response to your request within 30 days.',
    replace: 'You will receive a response to your request within 90 days.',
    summary: 'response deadline for access requests: 30 days → 90 days',
  },
  'imlive-privacy': {
    find: 'We also retain copies of statements published on the site and correspondence sent to us.',
    replace: 'We also retain copies of statements published on the site and correspondence sent to us for 10 years.',
    summary: 'retention of statements and correspondence: now 10 years',
  },
  'imvbox-privacy': {
    find: 'IMVBox will keep your Personal Information for as long as We have a relationship with you.',
    replace: 'IMVBox will keep your Personal Information for 7 years after our relationship with you ends.',
    summary: 'retention: "as long as we have a relationship" → 7 years after it ends',
  },
};

/** Policies that `materialEdit` knows an edit for. */
export const EDITABLE_POLICIES = Object.keys(MATERIAL_EDITS);

/** The material edit of a seed; undefined when it has none or it is applied already. */
export function materialEdit(policyId: string, source: string): Edit | undefined {
  const replacement = MATERIAL_EDITS[policyId];
  if (replacement === undefined || !source.includes(replacement.find)) return undefined;
  return { text: source.replace(replacement.find, replacement.replace), summary: replacement.summary, before: replacement.find, after: replacement.replace };
}

// "personal information" / "personal data": every seed says one of them.
const COSMETIC_TARGET = /\bpersonal (information|data)\b/i;

/** Flips the case of the first "personal information/data": a change of bytes, not of meaning. */
export function cosmeticEdit(source: string): Edit | undefined {
  const match = COSMETIC_TARGET.exec(source);
  if (match === null) return undefined;
  const found = match[0];
  const flipped = found === found.toLowerCase() ? found.replace(/\b\w/g, (letter) => letter.toUpperCase()) : found.toLowerCase();
  return {
    text: source.slice(0, match.index) + flipped + source.slice(match.index + found.length),
    summary: `letter case only: "${found}" → "${flipped}"`,
    before: found,
    after: flipped,
  };
}
