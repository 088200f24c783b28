/**
 * The engine's quality gate on the labelled corpus (scripts/build-corpus.ts): recall on material
 * edits and the false-alert rate on cosmetic ones. Every miss and false alert is listed with its
 * case id and description, so a failure says what to fix.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { diffPolicyTexts } from '../../functions/core/engine.ts';
import type { Category, DiffResult } from '../../functions/core/types.ts';
import { buildCorpus, CASES_PATH, serializeCorpus, type CorpusCase } from '../../scripts/build-corpus.ts';

const SEEDS_DIR = fileURLToPath(new URL('../../seeds/', import.meta.url));
const RECALL_FLOOR = 0.98;
const FALSE_ALERT_CEILING = 0.01;

interface Outcome {
  case: CorpusCase;
  result: DiffResult;
  /** result.material */
  detected: boolean;
  /** Detected, and the expected category is among the material changes' categories. */
  categorised: boolean;
  /** The expected obligation type appears on a material change (only when one is expected). */
  obligationFound?: boolean;
}

function evaluate(c: CorpusCase, seedText: string): Outcome {
  const result = diffPolicyTexts(seedText, c.after, { before: { format: c.format }, after: { format: c.format } });
  const material = result.changes.filter((change) => change.material);
  const categories = new Set<Category>(material.flatMap((change) => change.categories));
  const expected = c.expect?.category;
  const obligationType = c.expect?.obligationType;
  return {
    case: c,
    result,
    detected: result.material,
    categorised: result.material && expected !== undefined && categories.has(expected),
    ...(obligationType ? { obligationFound: material.some((change) => change.obligations.some((o) => o.type === obligationType)) } : {}),
  };
}

const percent = (n: number, of: number): string => (of === 0 ? '—' : `${((100 * n) / of).toFixed(1)}%`);
const clip = (text: string | null, max = 160): string => (text === null ? '∅' : text.length > max ? `${text.slice(0, max)}…` : text).replace(/\s+/g, ' ');

/** What the engine said about a case, in one or two lines. */
function explain(o: Outcome): string {
  const material = o.result.changes.filter((c) => c.material);
  const shown = material.length > 0 ? material : o.result.changes;
  const head = `  ${o.case.id}: ${o.case.description}`;
  if (shown.length === 0) return `${head}\n      engine: no change at all`;
  const changes = shown
    .slice(0, 3)
    .map((c) => `${c.material ? 'MATERIAL' : `cosmetic(${c.cosmetic ?? '?'})`} ${c.kind} [${c.categories.join(', ') || 'no category'}] @ ${c.sectionPath.join(' › ')}\n        before: ${clip(c.before)}\n        after:  ${clip(c.after)}`)
    .join('\n      ');
  return `${head}\n      engine: ${changes}${shown.length > 3 ? `\n      … and ${shown.length - 3} more` : ''}`;
}

function table(rows: [string, number, number][]): string {
  const lines = rows.map(([name, hits, of]) => `${name.padEnd(34)} ${String(hits).padStart(5)} / ${String(of).padEnd(5)} ${percent(hits, of).padStart(7)}`);
  return [`${'corpus quality'.padEnd(34)} ${'hits'.padStart(5)} / ${'cases'.padEnd(5)} ${'rate'.padStart(7)}`, ...lines].join('\n');
}

describe('labelled corpus quality', () => {
  const cases: CorpusCase[] = buildCorpus(SEEDS_DIR);
  const material = cases.filter((c) => c.label === 'material');
  const cosmetic = cases.filter((c) => c.label === 'cosmetic');
  let outcomes: Outcome[] = [];

  beforeAll(() => {
    const seeds = new Map<string, string>();
    const seedText = (file: string): string => {
      if (!seeds.has(file)) seeds.set(file, readFileSync(join(SEEDS_DIR, file), 'utf8'));
      return seeds.get(file)!;
    };
    outcomes = cases.map((c) => evaluate(c, seedText(c.seed)));

    const materialOutcomes = outcomes.filter((o) => o.case.label === 'material');
    const cosmeticOutcomes = outcomes.filter((o) => o.case.label === 'cosmetic');
    const withObligation = materialOutcomes.filter((o) => o.obligationFound !== undefined);
    const byCategory = new Map<string, Outcome[]>();
    for (const o of materialOutcomes) byCategory.set(o.case.category, [...(byCategory.get(o.case.category) ?? []), o]);
    const byKind = new Map<string, Outcome[]>();
    for (const o of cosmeticOutcomes) byKind.set(o.case.category, [...(byKind.get(o.case.category) ?? []), o]);

    console.log(
      [
        table([
          ['recall: detected', materialOutcomes.filter((o) => o.detected).length, materialOutcomes.length],
          ['recall: detected + right category', materialOutcomes.filter((o) => o.categorised).length, materialOutcomes.length],
          ['false alerts on cosmetic edits', cosmeticOutcomes.filter((o) => o.detected).length, cosmeticOutcomes.length],
          ['obligation surfaced (informative)', withObligation.filter((o) => o.obligationFound).length, withObligation.length],
        ]),
        '',
        'material by category        detected  +category',
        ...[...byCategory].map(
          ([category, list]) => `  ${category.padEnd(24)} ${`${list.filter((o) => o.detected).length}/${list.length}`.padStart(8)}  ${`${list.filter((o) => o.categorised).length}/${list.length}`.padStart(9)}`,
        ),
        'cosmetic by kind            false alerts',
        ...[...byKind].map(([kind, list]) => `  ${kind.padEnd(24)} ${`${list.filter((o) => o.detected).length}/${list.length}`.padStart(8)}`),
      ].join('\n'),
    );
    const missed = materialOutcomes.filter((o) => !o.detected);
    const miscategorised = materialOutcomes.filter((o) => o.detected && !o.categorised);
    const falseAlerts = cosmeticOutcomes.filter((o) => o.detected);
    const noObligation = withObligation.filter((o) => o.detected && !o.obligationFound);
    if (missed.length) console.log(`\nMISSED material edits (${missed.length}):\n${missed.map(explain).join('\n')}`);
    if (miscategorised.length) console.log(`\nDETECTED, WRONG CATEGORY (${miscategorised.length}; expected category in the id):\n${miscategorised.map(explain).join('\n')}`);
    if (falseAlerts.length) console.log(`\nFALSE ALERTS on cosmetic edits (${falseAlerts.length}):\n${falseAlerts.map(explain).join('\n')}`);
    if (noObligation.length) {
      console.log(
        `\nEXPECTED OBLIGATION NOT SURFACED (informative, ${noObligation.length}):\n${noObligation.map((o) => `  ${o.case.id} (${o.case.expect?.obligationType}): ${o.case.description}`).join('\n')}`,
      );
    }
  });

  it('is up to date with the edits and the seeds', () => {
    const fresh = serializeCorpus(cases);
    const committed = readFileSync(CASES_PATH, 'utf8');
    expect(fresh === committed, 'tests/corpus/generated/cases.json is stale: run npm run corpus').toBe(true);
  });

  it('holds at least 200 material edits over at least 10 categories and 60 cosmetic edits, on every seed', () => {
    const seeds = new Set(cases.map((c) => c.seed));
    expect(material.length).toBeGreaterThanOrEqual(200);
    expect(new Set(material.map((c) => c.category)).size).toBeGreaterThanOrEqual(10);
    expect(cosmetic.length).toBeGreaterThanOrEqual(60);
    for (const seed of seeds) expect(material.some((c) => c.seed === seed), `no material edit of ${seed}`).toBe(true);
    expect(new Set(cases.map((c) => c.id)).size).toBe(cases.length);
  });

  it(`detects material edits with the right category (recall ≥ ${RECALL_FLOOR})`, () => {
    const outcomesOf = outcomes.filter((o) => o.case.label === 'material');
    const misses = outcomesOf.filter((o) => !o.categorised);
    const recall = (outcomesOf.length - misses.length) / outcomesOf.length;
    expect(recall, `recall ${recall.toFixed(3)} < ${RECALL_FLOOR}; misses:\n${misses.map((o) => `${o.case.id}: ${o.case.description}`).join('\n')}`).toBeGreaterThanOrEqual(RECALL_FLOOR);
  });

  it(`raises almost no alert on cosmetic edits (false alerts ≤ ${FALSE_ALERT_CEILING * 100} %)`, () => {
    const outcomesOf = outcomes.filter((o) => o.case.label === 'cosmetic');
    const alerts = outcomesOf.filter((o) => o.detected);
    const rate = alerts.length / outcomesOf.length;
    expect(rate, `false-alert rate ${rate.toFixed(3)} > ${FALSE_ALERT_CEILING}; alerts:\n${alerts.map((o) => `${o.case.id}: ${o.case.description}`).join('\n')}`).toBeLessThanOrEqual(
      FALSE_ALERT_CEILING,
    );
  });
});
