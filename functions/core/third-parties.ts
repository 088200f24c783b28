/**
 * Named organisations a clause sends data to or relies on ("via Sparkpost", "such as Google
 * Analytics", "Stripe, Inc."). A heuristic, not named-entity recognition: a capitalised run counts
 * when something in the sentence introduces it as a recipient, and it is not a defined term,
 * heading, law or place (see `third-party-rules.ts`). The policy owner's own name may be reported;
 * it usually appears on both sides of a diff and cancels out, and `policyOwnNames` finds it for
 * callers that can pass it on (`ClauseContext.ownNames`).
 */
import { canonicalRegion } from './regions.ts';
import { COPYRIGHT_MARK } from './text.ts';
import {
  DESCRIBED_NAME_FOLLOWER_RE, FEATURE_FOLLOWER_RE, FEATURE_TOGGLE_PREFIX_RE, KNOWN_ORGANISATIONS, LEADING_FUNCTION_WORDS,
  NAME_INTRODUCER_RE, NAME_LIST_JOINER_RE, NON_ORGANISATION_WORDS, ORG_SUFFIX_RE, RECIPIENT_CONTEXT_RE, REGULATOR_NAMES,
  ROLE_NOUNS, SERVICE_VERB_FOLLOWER_RE, STREET_WORDS, TRAILING_NON_NAME_WORDS, VENDOR_LINE_RE,
} from './third-party-rules.ts';

// A capitalised word ("Stripe", "PayPal", "IMVU", "Amazon.com", "Sign-in") or an inner-capital one ("eBay").
const NAME_WORD = String.raw`(?:[A-Z][A-Za-z0-9]*|[a-z]+[A-Z][A-Za-z0-9]*)(?:[-'&.][A-Za-z0-9]+)*`;
const NAME_RE = new RegExp(String.raw`${NAME_WORD}(?:[ \t]+(?:&[ \t]+)?${NAME_WORD})*(?:,?\s+(?:Inc|LLC|Ltd|Limited|Corp|Corporation|GmbH|plc|PLC|AG|Co|Pty|SAS|LLP)\b\.?)?`, 'g');
const KNOWN_RE = new RegExp(
  String.raw`(?<![\w.-])(?:${[...KNOWN_ORGANISATIONS].sort((a, b) => b.length - a.length).map((name) => name.replace(/\./g, '\\.')).join('|')})(?![\w-])`,
  'gi',
);
const CANONICAL_KNOWN = new Map(KNOWN_ORGANISATIONS.map((name) => [name.toLowerCase(), name]));
const INITIALISM_RE = /^(?:[A-Z]\.)+[A-Z]?$/;
const PLURAL_ACRONYM_RE = /^[A-Z]{2,}s$/;
const ADJECTIVE_COMPOUND_RE = /^[A-Z]+-[a-z]+$/; // "PCI-compliant", "US-based"
const STANDARD_RE = /^[A-Z]{2,}-?\d/; // "AES-256", "SHA-256", "SOC2": algorithms and standards
// A house number after the name ("Regeringsgatan 19, 111 53") or before it (", 1 Finsbury Square"):
// an address. The comma keeps "Dynamics 365 for sales" a product.
const HOUSE_NUMBER_AFTER_RE = /^\s+\d{1,5}[A-Za-z]?\s*(?:,|$)/;
const HOUSE_NUMBER_BEFORE_RE = /(?:^|,)\s*\d{1,5}[A-Za-z]?\s+$/;
// "© 2024 CodeHub Inc.": the owner signing its page, not a recipient.
const COPYRIGHT_PREFIX_RE = new RegExp(String.raw`${COPYRIGHT_MARK}[\s©\d,–-]*$`);
// A US state and ZIP code ("San Francisco, CA 94105") or a UK postcode ("London EC2A 1AE") after it: a town.
const POSTCODE_AFTER_RE = /^,?\s+(?:[A-Z]{2}\s+\d{5}\b|[A-Z]{1,2}\d[A-Z\d]?\s+\d[A-Z]{2}\b)/;

const isGeneric = (word: string): boolean => NON_ORGANISATION_WORDS.has(word.toLowerCase()) || ADJECTIVE_COMPOUND_RE.test(word);
const isShouted = (word: string): boolean => word.length > 1 && word === word.toUpperCase() && /[A-Z]/.test(word);
// Single words need to look like a name on their own: "IMVU", "PayPal", "Amazon.com"; "Acme" needs an introducer.
const looksLikeName = (word: string): boolean => isShouted(word) || /[a-z][A-Z]|[.\d]/.test(word);

/**
 * A heading set in Title Case ("Why We Collect Your Personal Information"): every word is
 * capitalised, so capitals say nothing about names there.
 */
function isHeadingLike(sentence: string): boolean {
  const words = sentence.match(/[A-Za-z][A-Za-z'-]{2,}/g) ?? [];
  if (words.length < 2 || sentence.split(/\s+/).length > 12) return false;
  return words.filter((word) => /^[A-Z]/.test(word)).length / words.length >= 0.75;
}

/** The organisation name a capitalised run stands for, or undefined when it is not one. */
function organisationName(run: string): string | undefined {
  let words = run.replace(ORG_SUFFIX_RE, '').replace(/'s\b/g, '').split(/\s+/).filter(Boolean);
  while (words.length > 1 && LEADING_FUNCTION_WORDS.has(words[0]!.toLowerCase())) words = words.slice(1);
  while (words.length > 1 && TRAILING_NON_NAME_WORDS.has(words.at(-1)!.toLowerCase())) words = words.slice(0, -1);
  const name = words.join(' ');
  const last = words.at(-1)?.toLowerCase() ?? '';
  if (!name || words.every(isGeneric) || (ROLE_NOUNS.has(last) && !ORG_SUFFIX_RE.test(run)) || STREET_WORDS.has(last)) return undefined;
  // "Do Not Sell or Share My Personal Information" is a link label; regulators are where users complain.
  if (words.includes('My') || REGULATOR_NAMES.has(name.toLowerCase()) || STANDARD_RE.test(name)) return undefined;
  if (words.length > 1 && words.every(isShouted)) return undefined; // a heading in capitals
  // "U.S", "IDs", "HK", "Cal": initialisms, plurals and scraps, not names.
  if (words.length === 1 && (INITIALISM_RE.test(name) || PLURAL_ACRONYM_RE.test(name) || name.length <= 2 || (name.length === 3 && !isShouted(name)))) return undefined;
  if (canonicalRegion(name) || /^\d/.test(name)) return undefined;
  return name;
}

/** Adds the organisations one sentence names to `parties` (keyed case-insensitively). */
export function collectThirdParties(sentence: string, parties: Map<string, string>): void {
  const add = (name: string): void => {
    if (!parties.has(name.toLowerCase())) parties.set(name.toLowerCase(), name);
  };
  for (const known of sentence.matchAll(KNOWN_RE)) add(CANONICAL_KNOWN.get(known[0].toLowerCase()) ?? known[0]);

  let headingLike: boolean | undefined; // computed on the first candidate: most sentences have none
  const recipientSentence = RECIPIENT_CONTEXT_RE.test(sentence.toLowerCase());
  const firstWordAt = sentence.search(/[A-Za-z0-9]/);
  let previousEnd = -1;
  for (const run of sentence.matchAll(NAME_RE)) {
    const runEnd = run.index + run[0].length;
    const hasSuffix = ORG_SUFFIX_RE.test(run[0]);
    const name = organisationName(run[0]);
    if (!name || FEATURE_FOLLOWER_RE.test(sentence.slice(runEnd))) continue;
    const single = !name.includes(' ');
    const prefix = sentence.slice(Math.max(0, run.index - 40), run.index);
    const rest = sentence.slice(runEnd);
    // "your Nestwise Hub" is the user's own device; "turn on Voice Match" a feature; a house number or
    // postcode an address; "© 2024" the owner's signature.
    if (/\byour\s+$/i.test(prefix) || FEATURE_TOGGLE_PREFIX_RE.test(prefix) || HOUSE_NUMBER_AFTER_RE.test(rest) || HOUSE_NUMBER_BEFORE_RE.test(prefix) || POSTCODE_AFTER_RE.test(rest) || COPYRIGHT_PREFIX_RE.test(prefix)) continue;
    // Every sentence starts with a capital: a lone first word proves nothing, unless what follows
    // says it is a vendor ("Datadog – infrastructure monitoring", "Iterable sends our push notifications").
    if (run.index === firstWordAt && single && !hasSuffix) {
      const vendorLine = DESCRIBED_NAME_FOLLOWER_RE.test(rest) && VENDOR_LINE_RE.test(rest.toLowerCase());
      if (vendorLine || SERVICE_VERB_FOLLOWER_RE.test(rest)) {
        add(name);
        previousEnd = runEnd;
      }
      continue;
    }
    const introduced = NAME_INTRODUCER_RE.test(prefix.toLowerCase());
    const listed = previousEnd >= 0 && NAME_LIST_JOINER_RE.test(sentence.slice(previousEnd, run.index));
    const inContext = recipientSentence && (!single || looksLikeName(name));
    if (!hasSuffix && (!(introduced || listed || inContext) || (headingLike ??= isHeadingLike(sentence)))) continue;
    add(name);
    previousEnd = runEnd;
  }
}

// "© 2024 Streamly AB", "Copyright © 2019-2024 Pinbook, Inc."
const COPYRIGHT_RE = new RegExp(String.raw`${COPYRIGHT_MARK}\s*(?:©\s*)?(?:\d{4}(?:\s*[-–]\s*\d{4})?,?\s*)?(${NAME_RE.source})`, 'g');
// 'Streamly AB ("Streamly", "we", "us")': the owner defines itself as "we". The name is looked for
// only in the 80 characters before such a parenthesis, which keeps long capitalised runs cheap.
const DEFINED_AS_WE_RE = /\(([^()]{0,80}?["“'‘](?:we|us|our)["”'’][^()]{0,40})\)/g;
const NAME_AT_END_RE = new RegExp(String.raw`(${NAME_RE.source})\s*$`);
const QUOTED_NAME_RE = /["“'‘]([A-Z][^"“”'‘’]{1,40})["”'’]/g;

/**
 * The names the policy's owner goes by, from the document: its title ("IMVU Privacy Notice"), its
 * copyright line and the party it defines as "we". The owner is no recipient of its own data, and
 * its name can appear in a single added clause ("If you keep using Ledgerly, …"), where it does not
 * cancel out; callers pass these as `ClauseContext.ownNames`.
 */
export function policyOwnNames(title: string | undefined, text: string): string[] {
  const names = new Map<string, string>();
  const addRun = (run: string): void => {
    const name = organisationName(run.trim());
    if (!name || /^untitled\b/i.test(name)) return; // the parser's placeholder title
    names.set(name.toLowerCase(), name);
    // "Quill AI", "Streamly AB": the brand alone names the owner too.
    const [brand, form, ...more] = name.split(' ');
    if (brand && form && more.length === 0 && (form.length <= 3 || isShouted(form))) names.set(brand.toLowerCase(), brand);
  };
  for (const run of (title ?? '').matchAll(NAME_RE)) addRun(run[0]);
  for (const match of text.matchAll(COPYRIGHT_RE)) addRun(match[1]!);
  for (const match of text.matchAll(DEFINED_AS_WE_RE)) {
    const owner = NAME_AT_END_RE.exec(text.slice(Math.max(0, match.index - 80), match.index));
    if (owner) addRun(owner[1]!);
    for (const quoted of match[1]!.matchAll(QUOTED_NAME_RE)) addRun(quoted[1]!);
  }
  return [...names.values()].sort((a, b) => a.localeCompare(b, 'en'));
}
