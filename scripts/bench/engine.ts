/**
 * Engine benchmark: the full engine (parse → segment → align → diff → classify) on the 69 KB IMVU
 * seed against a copy with 10 clause edits, side by side with jsdiff's diffWords over the whole
 * normalized text of the same pair, and the unchanged case (content-hash short-circuit).
 */
import { diffWords } from 'diff';
import { comparePolicies, diffPolicyTexts, readPolicy } from '../../functions/core/engine.ts';
import { sha256Hex } from '../../functions/core/text.ts';
import { loadSeeds } from '../seeds.ts';

export interface EngineResult {
  medianMs: number;
  p95Ms: number;
  wholeDiffWordsMedianMs: number;
  speedupVsWholeDiffWords: number;
  unchangedMedianMs: number;
  runs: number;
  materialChanges: number;
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

function time(runs: number, fn: () => unknown, onRun?: () => void): number[] {
  for (let i = 0; i < 3; i++) fn(); // warm up the JIT and caches
  const samples: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    fn();
    samples.push(performance.now() - start);
    onRun?.();
  }
  return samples.sort((a, b) => a - b);
}

export function benchEngine(runs: number, onRun?: () => void): EngineResult {
  const seed = loadSeeds().find((s) => s.file.startsWith('000_'))!;
  const before = seed.text;
  const after = editedImvu(before);
  const options = { before: { format: 'text' as const }, after: { format: 'text' as const } };
  const result = diffPolicyTexts(before, after, options);

  const engine = time(runs, () => diffPolicyTexts(before, after, options), onRun);
  const normalizedBefore = readPolicy(before, { format: 'text' }).sections.map((s) => s.text).join('\n');
  const normalizedAfter = readPolicy(after, { format: 'text' }).sections.map((s) => s.text).join('\n');
  const whole = time(runs, () => diffWords(normalizedBefore, normalizedAfter), onRun);

  // Unchanged: the check compares the fetched body's sha256 with the baseline's snapshot id and
  // stops; comparing the stored sections of identical versions costs only the hash lookups.
  const baseline = readPolicy(before, { format: 'text' });
  const baselineId = sha256Hex(before);
  const unchanged = time(runs, () => sha256Hex(before) === baselineId && comparePolicies(baseline, baseline), onRun);

  const median = (s: number[]): number => percentile(s, 50);
  return {
    medianMs: round(median(engine)),
    p95Ms: round(percentile(engine, 95)),
    wholeDiffWordsMedianMs: round(median(whole)),
    speedupVsWholeDiffWords: round(median(whole) / median(engine)),
    unchangedMedianMs: round(median(unchanged), 3),
    runs,
    materialChanges: result.changes.filter((c) => c.material).length,
  };
}

function round(n: number, digits = 2): number {
  return Number(n.toFixed(digits));
}
