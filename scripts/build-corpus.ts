/**
 * Builds the labelled quality corpus: every edit in tests/corpus/edits/ applied to its seed policy,
 * giving one (seed, edited text, label) case per edit. Deterministic: the only source of choices
 * is a seeded PRNG per edit family, so `npm run corpus` rewrites identical bytes.
 *
 *   npm run corpus   # writes the label index tests/corpus/generated/cases.json and prints counts
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { cosmeticEdits } from '../tests/corpus/edits/cosmetic.ts';
import { materialEdits } from '../tests/corpus/edits/material.ts';
import type { CosmeticKind, EditSpec, Rng, SeedKey, TextOp } from '../tests/corpus/edits/spec.ts';
import type { Category, Obligation } from '../functions/core/types.ts';

/** One labelled edit of one seed policy. */
export interface CorpusCase {
  /** Stable id: `<category>-<seed>-<n>` or `cosmetic-<kind>-<seed>-<n>`. */
  id: string;
  /** Seed file name in seeds/ (the "before" text). */
  seed: string;
  format: 'text' | 'markdown';
  label: 'material' | 'cosmetic';
  /** The expected category (material) or why the edit changes no meaning (cosmetic). */
  category: Category | CosmeticKind;
  description: string;
  /** The edited full text (the "after" text). */
  after: string;
  /** What a correct engine should report beyond `material` (material cases only). */
  expect?: { category?: Category; obligationType?: Obligation['type'] };
}

interface SeedPolicy {
  file: string;
  format: 'text' | 'markdown';
  text: string;
}

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
export const CASES_PATH = join(ROOT, 'tests/corpus/generated/cases.json');

/** FNV-1a: turns a family name into a 32-bit PRNG seed. */
function hashSeed(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** mulberry32: small, fast and good enough to place edits; never Math.random. */
export function createRng(family: string): Rng {
  let state = hashSeed(`policy-corpus/${family}`);
  const next = (): number => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
  const int = (n: number): number => {
    if (!Number.isInteger(n) || n <= 0) throw new Error(`rng.int(${n}): nothing to choose from; this is a bug in the corpus`);
    return Math.floor(next() * n);
  };
  return { next, int, pick: (items) => items[int(items.length)]! };
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}

/** `needle` as a pattern in which any whitespace run also matches NBSPs and line breaks. */
function looseNeedle(needle: string): RegExp {
  const parts = needle.split(/[\s\u00a0]+/).map(escapeRegExp);
  return new RegExp(parts.join('[\\s\\u00a0]+'), 'g');
}

interface Match {
  index: number;
  length: number;
}

/** Where `needle` occurs: exact matches if any, else whitespace-loose ones. */
function findAll(text: string, needle: string): Match[] {
  const exact: Match[] = [];
  for (let i = text.indexOf(needle); i >= 0; i = text.indexOf(needle, i + needle.length)) exact.push({ index: i, length: needle.length });
  if (exact.length > 0 || needle.trim() === '') return exact;
  return [...text.matchAll(looseNeedle(needle))].map((m) => ({ index: m.index, length: m[0].length }));
}

/** The single match an op targets; an absent or ambiguous quote is an error in the corpus. */
function findOne(text: string, needle: string, occurrence: number | undefined, where: string): Match {
  const matches = findAll(text, needle);
  if (occurrence !== undefined) {
    const match = matches[occurrence - 1];
    if (!match) throw new Error(`${where}: occurrence ${occurrence} of ${JSON.stringify(needle)} not found (${matches.length} found)`);
    return match;
  }
  if (matches.length !== 1) throw new Error(`${where}: ${JSON.stringify(needle)} found ${matches.length} times; quote more context or pick an occurrence`);
  return matches[0]!;
}

function splice(text: string, at: Match, by: string): string {
  return text.slice(0, at.index) + by + text.slice(at.index + at.length);
}

/** The span of the blank-line-separated paragraph around `index`, plus the gap after it. */
function paragraphSpan(text: string, index: number): Match {
  const start = Math.max(0, text.lastIndexOf('\n\n', index) + 2);
  const gap = /\n(?:[ \t\u00a0]*\n)+/g;
  gap.lastIndex = index;
  const end = gap.exec(text);
  let stop = end ? end.index + end[0].length : text.length;
  // A spacer paragraph (only an NBSP, as in the Imou seed) belongs to the removed one.
  const spacer = /^[\u00a0 \t]+\n(?:[ \t\u00a0]*\n)+/.exec(text.slice(stop));
  if (spacer) stop += spacer[0].length;
  return { index: start, length: stop - start };
}

function lineSpan(text: string, index: number): Match {
  const start = text.lastIndexOf('\n', index) + 1;
  const newline = text.indexOf('\n', index);
  const stop = newline < 0 ? text.length : newline + 1;
  return { index: start, length: stop - start };
}

function applyOp(text: string, op: TextOp, where: string): string {
  switch (op.op) {
    case 'replace': {
      if (op.occurrence === 'all') {
        const matches = findAll(text, op.find);
        if (matches.length === 0) throw new Error(`${where}: ${JSON.stringify(op.find)} not found`);
        return matches.reduceRight((acc, m) => splice(acc, m, op.by), text);
      }
      return splice(text, findOne(text, op.find, op.occurrence, where), op.by);
    }
    case 'insert-after': {
      const m = findOne(text, op.anchor, op.occurrence, where);
      return splice(text, { index: m.index + m.length, length: 0 }, op.text);
    }
    case 'insert-before': {
      const m = findOne(text, op.anchor, op.occurrence, where);
      return splice(text, { index: m.index, length: 0 }, op.text);
    }
    case 'remove':
      return splice(text, findOne(text, op.find, op.occurrence, where), '');
    case 'remove-paragraph':
      return splice(text, paragraphSpan(text, findOne(text, op.containing, undefined, where).index), '');
    case 'remove-line':
      return splice(text, lineSpan(text, findOne(text, op.containing, undefined, where).index), '');
    case 'swap-blocks': {
      const a = findOne(text, op.first, undefined, where).index;
      const b = findOne(text, op.second, undefined, where).index;
      const end = findOne(text, op.end, undefined, where).index;
      if (!(a < b && b < end)) throw new Error(`${where}: swap-blocks anchors are not in order first < second < end`);
      return text.slice(0, a) + text.slice(b, end) + text.slice(a, b) + text.slice(end);
    }
    case 'transform':
      return op.apply(text);
  }
}

function applyEdit(seed: SeedPolicy, spec: EditSpec, where: string): string {
  const after = spec.ops.reduce((text, op) => applyOp(text, op, where), seed.text);
  if (after === seed.text) throw new Error(`${where}: the edit leaves the seed unchanged`);
  return after;
}

function loadSeeds(seedsDir: string): Map<SeedKey, SeedPolicy> {
  const manifest = JSON.parse(readFileSync(join(seedsDir, 'manifest.json'), 'utf8')) as { policies: { file: string; format: 'text' | 'markdown' }[] };
  const seeds = new Map<SeedKey, SeedPolicy>();
  for (const policy of manifest.policies) {
    seeds.set(policy.file.slice(0, 3) as SeedKey, { file: policy.file, format: policy.format, text: readFileSync(join(seedsDir, policy.file), 'utf8') });
  }
  return seeds;
}

/** Applies every edit to its seed and labels the results; throws on any edit that no longer applies. */
export function buildCorpus(seedsDir: string): CorpusCase[] {
  const seeds = loadSeeds(seedsDir);
  const seedOf = (key: SeedKey): SeedPolicy => {
    const seed = seeds.get(key);
    if (!seed) throw new Error(`seed ${key} is not in ${join(seedsDir, 'manifest.json')}`);
    return seed;
  };
  const counters = new Map<string, number>();
  const nextId = (prefix: string): string => {
    const n = (counters.get(prefix) ?? 0) + 1;
    counters.set(prefix, n);
    return `${prefix}-${String(n).padStart(2, '0')}`;
  };
  const cases: CorpusCase[] = [];
  for (const spec of materialEdits(createRng)) {
    const seed = seedOf(spec.seed);
    const id = nextId(`${spec.category}-${spec.seed}`);
    cases.push({
      id,
      seed: seed.file,
      format: seed.format,
      label: 'material',
      category: spec.category,
      description: spec.description,
      after: applyEdit(seed, spec, id),
      expect: { category: spec.category, ...(spec.obligation ? { obligationType: spec.obligation } : {}) },
    });
  }
  for (const spec of cosmeticEdits(createRng)) {
    const seed = seedOf(spec.seed);
    const id = nextId(`cosmetic-${spec.kind}-${spec.seed}`);
    cases.push({ id, seed: seed.file, format: seed.format, label: 'cosmetic', category: spec.kind, description: spec.description, after: applyEdit(seed, spec, id) });
  }
  return cases;
}

/**
 * The committed form is the label index: every case's id, label, expectation and description, with
 * the sha256 of its edited text instead of the text itself (the texts are rebuilt from the edit
 * specs; committing 320 full policies would weigh 12 MB). One case per line keeps `git diff` readable.
 */
export function serializeCorpus(cases: CorpusCase[]): string {
  const index = cases.map(({ after, ...rest }) => ({ ...rest, afterSha256: createHash('sha256').update(after).digest('hex') }));
  return `[\n${index.map((c) => JSON.stringify(c)).join(',\n')}\n]\n`;
}

function printCounts(cases: CorpusCase[]): void {
  for (const label of ['material', 'cosmetic'] as const) {
    const ofLabel = cases.filter((c) => c.label === label);
    const byCategory = new Map<string, number>();
    for (const c of ofLabel) byCategory.set(c.category, (byCategory.get(c.category) ?? 0) + 1);
    const seeds = new Set(ofLabel.map((c) => c.seed)).size;
    console.log(`${label}: ${ofLabel.length} cases, ${byCategory.size} categories, ${seeds} seeds`);
    for (const [category, n] of [...byCategory].sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]))) console.log(`  ${category.padEnd(18)} ${n}`);
  }
}

function main(): void {
  const cases = buildCorpus(join(ROOT, 'seeds'));
  mkdirSync(dirname(CASES_PATH), { recursive: true });
  writeFileSync(CASES_PATH, serializeCorpus(cases));
  printCounts(cases);
  console.log(`wrote ${CASES_PATH}`);
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
