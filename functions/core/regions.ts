/**
 * Countries and regions that policies name as places where data is stored or sent. Data, not code:
 * the classifier uses it as a transfers cue, obligation extraction as its country vocabulary.
 * Canonical name → the spellings policies use. Not every country: the ones that host data centres
 * or appear in transfer clauses; an unlisted country is simply not reported.
 */
import { REGION_NAMES_BY_CODE } from './country-names.ts';

// Country names that are more often something else in a policy: US states, people, words.
const AMBIGUOUS_NAMES = new Set(['Georgia', 'Jersey', 'Chad', 'Jordan', 'Réunion', 'Niue', 'Guernsey', 'Isle of Man', 'Christmas Island', 'Norfolk Island', 'Canary Islands', 'Diego Garcia', 'Clipperton Island', 'Ascension Island', 'Tristan da Cunha', 'Antarctica', 'World']);

const NAMED_REGIONS: Readonly<Record<string, readonly string[]>> = {
  'United States': ['United States of America', 'United States', 'U.S.A.', 'U.S.', 'USA', 'the US'],
  'United Kingdom': ['United Kingdom', 'Great Britain', 'Britain', 'England', 'U.K.', 'UK'],
  'European Union': ['European Union', 'E.U.', 'EU'],
  'European Economic Area': ['European Economic Area', 'EEA'],
  China: ["People's Republic of China", 'Mainland China', 'P.R. China', 'P.R.China', 'PRC', 'China'],
  'South Korea': ['Republic of Korea', 'South Korea', 'Korea'],
  'United Arab Emirates': ['United Arab Emirates', 'UAE'],
  Russia: ['Russian Federation', 'Russia'],
  Netherlands: ['the Netherlands', 'Netherlands', 'Holland'],
  'Czech Republic': ['Czech Republic', 'Czechia'],
  'Hong Kong': ['Hong Kong SAR', 'Hong Kong'],
  Vietnam: ['Viet Nam', 'Vietnam'],
  Turkey: ['Türkiye', 'Turkey'],
  'Asia-Pacific': ['Asia-Pacific', 'Asia Pacific', 'APAC'],
  ...Object.fromEntries(
    [
      'Canada', 'Mexico', 'Brazil', 'Argentina', 'Chile', 'Colombia', 'Peru',
      'Ireland', 'Germany', 'France', 'Belgium', 'Luxembourg', 'Switzerland', 'Austria', 'Spain',
      'Portugal', 'Italy', 'Sweden', 'Norway', 'Denmark', 'Finland', 'Iceland', 'Poland', 'Romania',
      'Bulgaria', 'Hungary', 'Greece', 'Estonia', 'Latvia', 'Lithuania', 'Croatia', 'Slovakia',
      'Slovenia', 'Cyprus', 'Malta', 'Ukraine', 'Israel', 'Saudi Arabia', 'Qatar', 'Egypt',
      'South Africa', 'Nigeria', 'Kenya', 'Morocco', 'India', 'Pakistan', 'Bangladesh', 'Macau',
      'Taiwan', 'Japan', 'Singapore', 'Malaysia', 'Indonesia', 'Philippines', 'Thailand',
      'Australia', 'New Zealand',
      'Northern Europe', 'Western Europe', 'Eastern Europe', 'Southern Europe', 'Europe',
      'North America', 'South America', 'Latin America', 'Middle East', 'Southeast Asia', 'Asia', 'Africa',
    ].map((name) => [name, [name]]),
  ),
};

export const REGION_ALIASES: Readonly<Record<string, readonly string[]>> = { ...otherCountries(), ...NAMED_REGIONS };

/**
 * Every other country, by its English name from ICU's data (`country-names.ts`, generated: no list
 * to keep by hand): a policy may name any of them ("backup servers in Panama"). Names that are
 * also common words or US states, and ICU's composite or placeholder names, are left out.
 */
function otherCountries(): Record<string, readonly string[]> {
  const known = new Set(Object.values(NAMED_REGIONS).flat());
  const countries: Record<string, readonly string[]> = {};
  for (const name of Object.values(REGION_NAMES_BY_CODE)) {
    if (/[()&’]|\bSAR\b|Unknown|Pseudo|United Nations|Eurozone|Outlying|St\./.test(name) || AMBIGUOUS_NAMES.has(name) || known.has(name)) continue;
    countries[name] = [name];
  }
  return countries;
}

/** Escapes a literal for use inside a RegExp source. */
function escapeRegExp(literal: string): string {
  return literal.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** Every spelling with its canonical name, longest first so "Northern Europe" wins over "Europe". */
const ALIAS_ENTRIES: ReadonlyArray<readonly [alias: string, canonical: string]> = Object.entries(REGION_ALIASES)
  .flatMap(([canonical, aliases]) => aliases.map((alias) => [alias, canonical] as const))
  .sort((a, b) => b[0].length - a[0].length);

// Acronyms ("US", "EU", "PRC") only count in capitals: lower-case "us" is a pronoun.
const isAcronym = (alias: string): boolean => /^(?:the )?[A-Z.]{2,6}$/.test(alias);

const NAME_ALIASES = ALIAS_ENTRIES.filter(([alias]) => !isAcronym(alias));
const ACRONYM_ALIASES = ALIAS_ENTRIES.filter(([alias]) => isAcronym(alias));
const CANONICAL_BY_ALIAS = new Map(ALIAS_ENTRIES.map(([alias, canonical]) => [alias.toLowerCase(), canonical]));

/** Matches a full region name, case-insensitively ("United States", "northern europe"). */
export const REGION_NAME_RE = new RegExp(
  `(?<![\\w.])(?:${NAME_ALIASES.map(([alias]) => escapeRegExp(alias)).join('|')})(?![\\w-])`,
  'gi',
);
/** Matches a region acronym in capitals only ("US" after "the", "EEA", "P.R.C"). */
export const REGION_ACRONYM_RE = new RegExp(
  `(?<![\\w.])(?:${ACRONYM_ALIASES.map(([alias]) => escapeRegExp(alias)).join('|')})(?![\\w-])`,
  'g',
);
/** Lower-case alternation of unambiguous region names, for the classifier's lower-cased text. */
export const REGION_NAMES_LOWER_SOURCE = NAME_ALIASES.map(([alias]) => escapeRegExp(alias.toLowerCase())).join('|');

/** The canonical name of a matched spelling ("U.S." → "United States"), or undefined. */
export function canonicalRegion(spelling: string): string | undefined {
  return CANONICAL_BY_ALIAS.get(spelling.toLowerCase());
}
