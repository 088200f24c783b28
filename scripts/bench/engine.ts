/**
 * Engine benchmark: the 69 KB IMVU seed against a copy with 10 clause edits, timed side by side
 * in one run, the samples of each contender interleaved so that load from other processes hits
 * all of them alike:
 * - engine, as the check runs it: parse + segment the fetched version, then align, diff and
 *   classify it against the stored baseline's sections (`readPolicy` + `comparePolicies`);
 * - engine, both sides parsed (`diffPolicyTexts`), as the CLI runs it;
 * - the naive approach: jsdiff `diffWords` over the whole normalized text of the same pair;
 * - unchanged: the check's content-hash short-circuit (sha256 of the body equals the stored
 *   snapshot id), then the sections compared, which is what an identical version costs.
 */
import { diffWords } from 'diff';
import { comparePolicies, diffPolicyTexts, readPolicy } from '../../functions/core/engine.ts';
import { parseDocument } from '../../functions/core/parse.ts';
import { splitSections } from '../../functions/core/sections.ts';
import { sha256Hex } from '../../functions/core/text.ts';
import { loadSeeds } from '../seeds.ts';

export interface EngineResult {
  medianMs: number;
  p95Ms: number;
  wholeDiffWordsMedianMs: number;
  speedupVsWholeDiffWords: number;
  unchangedMedianMs: number;
  runs: number;
  bytes: number;
  /** Both versions parsed per run (diffPolicyTexts), as the CLI does. */
  bothSidesParsedMedianMs: number;
  bothSidesParsedP95Ms: number;
  speedupBothSidesVsWholeDiffWords: number;
  wholeDiffWordsP95Ms: number;
  changes: number;
  materialChanges: number;
  /** The check path's three phases timed apart (medians, ms): where the time goes. */
  phasesMedianMs: { parse: number; segment: number; compare: number };
}

// Ten realistic clause edits, applied deterministically to the IMVU seed.
const IMVU_EDITS: Array<[string, string]> = [
  ['within one month.', 'within three months.'],
  ['children under the age of 13.', 'children under the age of 16.'],
  ['within 45 days of its receipt', 'within 60 days of its receipt'],
  ['such as Google Analytics,', 'such as Google Analytics and Mixpanel,'],
  ['IMVU does not track individuals across multiple platforms.', 'IMVU may track individuals across multiple platforms.'],
  ['If required, we will notify you and any applicable regulator of a suspected data security breach.', 'We may notify regulators of a suspected data security breach.'],
  ['stored on servers located in the United States.', 'stored on servers located in the United States and India.'],
  ['Finally, you have the right to make a complaint at any time', 'You may have the right to make a complaint'],
  ['We do not sell your personal information within the scope of', 'We may sell your personal information within the scope of'],
  ['up to 90 days', 'up to 120 days'],
];

export function editedImvu(text: string): string {
  return IMVU_EDITS.reduce((acc, [from, to]) => {
    if (!acc.includes(from)) throw new Error(`bench edit no longer applies: "${from}"`);
    return acc.replace(from, to);
  }, text);
}

function percentile(sorted: number[], p: number): number {
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)]!;
}

function timeOnce(fn: () => unknown): number {
  const start = performance.now();
  fn();
  return performance.now() - start;
}

export function benchEngine(runs: number, onRun?: () => void): EngineResult {
  const seed = loadSeeds().find((s) => s.policyId === 'imvu-privacy');
  if (seed === undefined) throw new Error('seed imvu-privacy missing from seeds/manifest.json');
  const before = seed.text;
  const after = editedImvu(before);
  const text = { format: 'text' as const };

  // What the check has before it fetches: the baseline's sections, stored as JSON in S3.
  const baseline = readPolicy(before, text);
  const stored = { effectiveDate: baseline.document.effectiveDate ?? null, sections: baseline.sections };
  const baselineId = sha256Hex(before);
  const checkPath = () => {
    const current = readPolicy(after, text);
    return comparePolicies(stored, { effectiveDate: current.document.effectiveDate ?? null, sections: current.sections });
  };
  const bothSides = () => diffPolicyTexts(before, after, { before: text, after: text });
  const normalizedBefore = baseline.sections.map((s) => s.text).join('\n');
  const normalizedAfter = readPolicy(after, text).sections.map((s) => s.text).join('\n');
  const whole = () => diffWords(normalizedBefore, normalizedAfter);
  const unchanged = () => sha256Hex(before) === baselineId && comparePolicies(stored, stored).changes.length === 0;
  const parsedAfter = parseDocument(after, text);
  const currentSections = { effectiveDate: parsedAfter.effectiveDate ?? null, sections: splitSections(parsedAfter) };
  const parse = () => parseDocument(after, text);
  const segment = () => splitSections(parsedAfter);
  const compare = () => comparePolicies(stored, currentSections);

  const result = checkPath();
  if (!unchanged()) throw new Error('the unchanged case found a change; this is a bug');
  const contenders = [checkPath, bothSides, whole, unchanged, parse, segment, compare];
  for (let i = 0; i < 5; i++) for (const fn of contenders) fn(); // warm up the JIT and caches
  const samples = contenders.map((): number[] => []);
  for (let i = 0; i < runs; i++) {
    contenders.forEach((fn, k) => samples[k]!.push(timeOnce(fn)));
    onRun?.();
  }
  const [engine, both, diffed, same, parsing, segmenting, comparing] = samples.map((s) => s.sort((a, b) => a - b)) as [number[], number[], number[], number[], number[], number[], number[]];
  const median = (s: number[]): number => percentile(s, 50);
  return {
    medianMs: round(median(engine)),
    p95Ms: round(percentile(engine, 95)),
    wholeDiffWordsMedianMs: round(median(diffed)),
    speedupVsWholeDiffWords: round(median(diffed) / median(engine), 1),
    unchangedMedianMs: round(median(same), 3),
    runs,
    bytes: Buffer.byteLength(before),
    bothSidesParsedMedianMs: round(median(both)),
    bothSidesParsedP95Ms: round(percentile(both, 95)),
    speedupBothSidesVsWholeDiffWords: round(median(diffed) / median(both), 1),
    wholeDiffWordsP95Ms: round(percentile(diffed, 95)),
    changes: result.changes.length,
    materialChanges: result.changes.filter((c) => c.material).length,
    phasesMedianMs: { parse: round(median(parsing)), segment: round(median(segmenting)), compare: round(median(comparing)) },
  };
}

function round(n: number, digits = 2): number {
  return Number(n.toFixed(digits));
}
