/**
 * `npm run baseline`: writes seeds/baselines/<policyId>.json, the structured baseline of each seed.
 * Deterministic (no clock, stable key order), so a re-run on unchanged seeds changes no byte.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { buildBaseline, readPolicy } from '../functions/core/engine.ts';
import { SEEDS_DIR, loadSeeds } from './seeds.ts';

export function renderBaselines(): Map<string, string> {
  const files = new Map<string, string>();
  for (const seed of loadSeeds()) {
    const baseline = buildBaseline(readPolicy(seed.text, { format: seed.format, title: seed.name }));
    files.set(`${seed.policyId}.json`, `${JSON.stringify(baseline, null, 2)}\n`);
  }
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = `${SEEDS_DIR}baselines/`;
  mkdirSync(dir, { recursive: true });
  for (const [name, json] of renderBaselines()) {
    writeFileSync(`${dir}${name}`, json);
    const sections = (JSON.parse(json) as { sections: unknown[] }).sections.length;
    console.log(`seeds/baselines/${name}  ${sections} sections`);
  }
}
