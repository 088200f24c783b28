/**
 * The vocabulary obligation extraction works with, as data: number words, the cues that say a
 * duration is a retention period or a response deadline, and the right names and how a policy
 * grants them (organisation names have their own `third-party-rules.ts`). All patterns run on
 * lower-cased text.
 */

import { REGULATOR_NAMES } from './third-party-rules.ts';

// Regulators by name or acronym ("contact the CNIL", "write to the Garante"): one list with the
// third-party rules, which never report them as recipients.
const REGULATORS = `(?:${[...REGULATOR_NAMES].join('|')})`;

const UNIT_WORDS = ['one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine'];
const TEEN_WORDS = ['ten', 'eleven', 'twelve', 'thirteen', 'fourteen', 'fifteen', 'sixteen', 'seventeen', 'eighteen', 'nineteen'];
const TENS_WORDS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];

const BELOW_HUNDRED = String.raw`(?:(?:${TENS_WORDS.join('|')})(?:[- ](?:${UNIT_WORDS.join('|')}))?|${[...TEEN_WORDS].reverse().join('|')}|${UNIT_WORDS.join('|')})`;
/**
 * Spelled-out cardinals policies use: "thirty (30) days", "forty-five days", "one hundred and
 * eighty days", "a hundred days". The hundreds come first so "one hundred and eighty" is not read
 * from its tail.
 */
export const NUMBER_WORD_SOURCE = String.raw`(?:(?:(?:${UNIT_WORDS.join('|')}|a)[ -])?hundred(?:(?:[ -]and)?[ -]${BELOW_HUNDRED})?|${BELOW_HUNDRED})`;

/** The value of a spelled-out cardinal matched by NUMBER_WORD_SOURCE, or undefined. */
export function parseNumberWord(word: string): number | undefined {
  let total = 0;
  for (const token of word.split(/[- ]+/)) {
    if (token === 'and') continue;
    if (token === 'hundred') {
      total = (total || 1) * 100;
      continue;
    }
    const value = token === 'a' ? 1 : TENS_WORDS.includes(token) ? (TENS_WORDS.indexOf(token) + 2) * 10 : TEEN_WORDS.includes(token) ? TEEN_WORDS.indexOf(token) + 10 : UNIT_WORDS.indexOf(token) + 1;
    if (value <= 0) return undefined;
    total += value;
  }
  return total || undefined;
}

/** Words near a duration that make it a retention period ("kept for", "deleted after", "removed after", "remain on our servers for"). */
export const RETENTION_CUE_RE = /\b(?:retain\w*|retention|keep|keeps|kept|keeping|stor(?:e|es|ed|ing|age)|hold|holds|held|delet\w*|eras(?:e|ed|es|ing|ure)|remov(?:e|es|ed|al)|remain(?:s|ed|ing)? (?:on|in|with|stored|available|accessible|visible)|purg\w*|anonymi[sz]\w*|destroy\w*|archiv\w*|preserv\w*|maintain\w*|logs?|backups?|expir\w*|saved?)\b/g;
/**
 * Words near a duration that make it a deadline for answering the user, including the informal
 * "get back to you", "deal with your request", "it may take us", and GDPR's extension wording
 * ("more time", "extend by two further months"). A retention cue nearer the duration still wins.
 */
export const RESPONSE_CUE_RE = /\b(?:respond\w*|responses?|repl(?:y|ies)|answer\w*|acknowledg\w*|fulfil\w*|honou?r (?:your |the |such )?requests?|process(?:ed)? (?:your |the |all |any |such )?requests?|requests? (?:to|will) (?:be )?(?:fully )?process\w*|complete (?:your |the )?requests?|resolve\w*|get(?:ting)? back to (?:you|them)|(?:deal(?:s|t|ing)?|cop(?:e|es|ing)) with (?:your |the |a |such |any |all |each |every )?(?:\w+ )?requests?|handl(?:e|es|ed|ing) (?:your |the |a |such |any |all |each |every )?(?:\w+ )?requests?|take us|(?:more|additional|further|extra) time|extend\w*|extension)\b/g;
/** "within 30 days" leans towards a deadline when a response cue is around. */
export const DEADLINE_PREFIX_RE = /\b(?:within|no later than|in|up to)\s+$/;
/** "in the past 12 months" looks back; "every 12 months" is a frequency: neither is an obligation. */
export const NOT_A_PERIOD_PREFIX_RE = /\b(?:past|last|preceding|previous|prior|every|each|per|once|twice|thrice|times)\s+(?:an?\s+)?$/;
/** "a month" only counts as one month after a word that introduces a period, or alone in a table cell ("| a decade"). */
export const ARTICLE_PERIOD_PREFIX_RE = /(?:\b(?:within|for|after|than|of|least|most|about|over|in|to|by)\s+|(?:^|[|:–—])\s*)$/;

/** Retention tied to the account or relationship, not to a duration. */
export const ACCOUNT_LIFETIME_RE = /\b(?:(?:for )?(?:as|so) long as (?:your (?:account|profile|membership|subscription) (?:is|remains) (?:active|open|in existence|registered)|you (?:have|maintain|hold|keep) (?:an?|your) (?:active )?(?:account|profile|membership|subscription)|you (?:are|remain) (?:our|a|an active) (?:client|customer|member|user|subscriber)|you use (?:our|the) (?:services?|site|app|platform)|(?:we|you) (?:have|maintain) (?:an? |our )?(?:\w+ )?relationship with (?:you|us)|your account exists)|for the (?:life(?:time)?|duration) of your (?:account|membership|subscription|relationship with us)|until (?:you (?:delete|close|deactivate|terminate|cancel) your (?:account|profile|membership|subscription)|your (?:account|profile) is (?:deleted|closed|deactivated|terminated)))\b/g;
/** Retention for "as long as necessary" and its variants. */
export const AS_LONG_AS_NECESSARY_RE = /\b(?:(?:for )?(?:as|so) long as (?:is |it is |they are |reasonably |strictly )?(?:necessary|needed|required|reasonably necessary)|(?:for )?no longer than (?:is )?(?:necessary|needed|required)|for the period (?:necessary|needed|required))\b/g;
/** Retention that ends when the user withdraws ("until you unsubscribe", "until you withdraw your consent"). */
export const UNTIL_WITHDRAWN_RE = /\buntil (?:you (?:unsubscribe|opt[- ]?out|object|withdraw (?:your |that |this |such )?consent|ask us to (?:delete|erase|remove) (?:it|them|your (?:\w+ )?(?:data|information|account))|request (?:its |their )?(?:deletion|erasure))|(?:your )?consent is withdrawn)\b/g;
/** Retention without end. A "permanently delete" is the opposite and is excluded by the caller. */
export const INDEFINITE_RE = /\b(?:indefinitely|permanently|forever|in perpetuity|without (?:a )?time limit)\b/g;
/** Near "permanently", these make it a deletion ("permanently delete"), not retention. */
export const DELETION_VERB_NEAR_RE = /\b(?:delet|eras|remov|discontinu|destroy|purg|anonymi)\w*/;

/** Fixed vocabulary of data-subject rights the extractor recognises. */
export const RIGHT_NAMES = [
  'access',
  'deletion',
  'correction',
  'portability',
  'objection',
  'restriction',
  'opt-out',
  'withdraw-consent',
  'complaint',
  'non-discrimination',
  'appeal',
  'automated-decisions',
] as const;
export type RightName = (typeof RIGHT_NAMES)[number];

/** How each right is mentioned. A mention only counts when the sentence grants it (see GRANT_CUE_RE). */
export const RIGHT_MENTION_RES: Readonly<Record<RightName, RegExp>> = {
  access: /\b(?:access(?: to)? (?:your |the |any |all |such |certain |this |that |relevant )?(?:personal |specific )?(?:data|information|details|records)|right (?:of|to) access|(?:a )?cop(?:y|ies) of (?:your|the|all|any|such)|right to know|subject access|(?:inspect|review|view|obtain) (?:the |your |all |any )?(?:personal )?(?:data|information)|disclose (?:certain |the |such |specific )?(?:personal )?information to you)/g,
  deletion: /\b(?:delet(?:e|ion)|eras(?:e|ure)|be forgotten|remov(?:e|al of) (?:your|the|any|all|such))\b/g,
  correction: /\b(?:correct(?:ion|ed)?|rectif(?:y|ication)|amend|updat(?:e|ing) (?:your |the |any |such )?(?:personal |account )?(?:data|information|details|profile|account)|adjust (?:the|your) data)\b/g,
  portability: /\b(?:portab\w*|machine[- ]readable|structured, commonly used|(?:usable|portable|common) (?:electronic )?format|transmit (?:it|them|this|that|your (?:personal )?(?:data|information)) to (?:another|a third|other)|transfer of your (?:personal )?(?:data|information) to you)/g,
  objection: /\bobject(?:ion|ing)?\b/g,
  restriction: /\b(?:restrict(?:ion|ing)? (?:of |the |our |its |your )?(?:processing|use|our use)|right to restrict|restriction of processing|limit (?:the |our )?(?:use|processing|data)|suspend (?:the |our )?processing)/g,
  'opt-out': /\b(?:opt(?:ing|ed)?[- ]?out|unsubscrib\w*|do not sell(?: or share)? my|stop (?:to )?(?:the )?(?:use|using|processing)(?: of)? (?:your |their )?(?:personal )?(?:data|information) for (?:direct )?marketing)\b/g,
  'withdraw-consent': /\b(?:(?:withdraw\w*|revok\w*) (?:your |their |such |this |that |the |any )?(?:\w+ )?consent|withdrawal of (?:your )?consent)\b/g,
  complaint: new RegExp(String.raw`\b(?:(?:lodge|file|make|submit|bring|raise) a complaint|complain to|right to complain|contact (?:the |your )?(?:relevant |competent |local |appropriate )*(?:data protection |supervisory |privacy )+(?:authority|authorities|regulator)|(?:contact|write to|report (?:it |this |that )?to) (?:the |your )?(?:[a-z’']+ ){0,3}?(?:commissioner|ombudsman|regulator)|(?:contact|write to) the ${REGULATORS}\b)`, 'g'),
  'non-discrimination': /\b(?:non-?discriminat\w*|not (?:\w+ )?discriminate against|free from (?:unlawful )?discrimination|discriminat\w* against you)/g,
  appeal: /\bappeal(?:s|ing)?\b/g,
  'automated-decisions': /\b(?:not (?:to )?be subject(?:ed)? to (?:\w+ ){0,4}?(?:automated|automatic)|automated (?:individual )?decision[- ]making|human (?:intervention|review) (?:of|in)|contest (?:the |a |an |such )?(?:automated )?decisions?)/g,
};
/** Rights whose wording is itself the grant ("we will not discriminate against you"). */
export const SELF_GRANTING_RIGHTS: ReadonlySet<RightName> = new Set<RightName>(['non-discrimination']);
/** What a sentence says to grant a right: a subject that may/can, "the right to", "entitled to". */
export const GRANT_CUE_RE = /\b(?:(?:you|users?|consumers?|data subjects?|individuals?|residents?|parents?|customers?|members?)\b(?: \w+){0,3}? (?:may|can|could|might|are entitled|is entitled|are able|is able|will be able)|rights? (?:of|to)|entitled to|option to|(?:you|they) (?:also |always |may |will )*have (?:the |a |certain |several |following |specific |additional )*(?:rights?|option|ability|choice))\b/g;
/** A sentence that opens with an imperative right ("Request erasure of ...", "Object to processing ..."). */
export const IMPERATIVE_GRANT_RE = /^[\s\-*•·\d.)(]*(?:request|object|withdraw|opt|ask|access|correct|delete|erase|obtain|lodge|file|appeal|restrict|rectify|review|update|unsubscribe|limit)\b/;
/**
 * A short list line that only names a right ("Data portability", "Erasure of your data", "3. Right
 * of access", "Rectification – ask us to …"), as under a lead-in "You have the following rights:".
 * Digits after the name make it a practice ("Deletion of inactive accounts after 12 months").
 */
export const RIGHT_NAME_LINE_RE = /^[\s\-*•·\d.)(]*(?:(?:the )?right (?:to|of) (?:the )?)?(?:data |your )?(?:access|deletion|erasure|rectification|correction|portability|objection|restriction(?: of processing)?|opt(?:ing)?[- ]out|withdrawal of consent|non-discrimination)(?: (?:of|to) (?:your |the )?(?:personal )?(?:data|information))?(?:\s*\([^)\d]*\))?(?:\s*(?:[–—:]|\s-)\s[^\d]*)?[.;]?$/;
/** A promise to act on the user's request is a grant too ("we will delete your data upon request"). */
export const ON_REQUEST_GRANT_RE = /\b(?:delete|erase|remove|correct|rectify|update|stop)\b[^.;]{0,60}?(?:\b(?:up)?on (?:your )?(?:written )?request|\bat your request|\b(?:if|when) you (?:ask|request))/;
/** Between a grant and a right, these take it back ("you may not opt out"). */
export const NEGATION_RE = /\b(?:not|cannot|can't|unable|never|no right|neither|nor)\b/;

