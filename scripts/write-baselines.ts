/**
 * `npm run baseline`: writes seeds/baselines/<policyId>.json, the structured baseline of each seed,
 * and seeds/baselines/engine-version.json, a fingerprint of how the engine reads the seeds and the
 * corpus's HTML and Markdown pages. Deterministic (no clock, stable key order), so a re-run on
 * unchanged seeds changes no byte.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { ENGINE_VERSION, buildBaseline, readPolicy } from '../functions/core/engine.ts';
import { sha256Hex } from '../functions/core/text.ts';
import { SEEDS_DIR, loadSeeds } from './seeds.ts';

const ENGINE_VERSION_FILE = 'engine-version.json';
const PAGES_DIR = new URL('../tests/corpus/pairs/', import.meta.url);

/**
 * What the engine makes of known inputs, as one hash. When it changes, stored snapshots read by
 * the previous engine would differ from fresh readings, so ENGINE_VERSION must change with it
 * (the check then reads old snapshots again from their raw pages).
 */
function readingFingerprint(): string {
  const readings = loadSeeds().map((seed) => readPolicy(seed.text, { format: seed.format, title: seed.name }));
  for (const name of readdirSync(PAGES_DIR).sort()) {
    const format = name.endsWith('.html') ? 'html' : name.endsWith('.md') ? 'markdown' : undefined;
    if (format) readings.push(readPolicy(readFileSync(new URL(name, PAGES_DIR), 'utf8'), { format }));
  }
  return sha256Hex(JSON.stringify(readings));
}

function engineVersionFile(): string {
  const readingFingerprintNow = readingFingerprint();
  const path = `${SEEDS_DIR}baselines/${ENGINE_VERSION_FILE}`;
  if (existsSync(path)) {
    const committed = JSON.parse(readFileSync(path, 'utf8')) as { engineVersion: number; readingFingerprint: string };
    if (committed.readingFingerprint !== readingFingerprintNow && committed.engineVersion === ENGINE_VERSION) {
      throw new Error(
        `The engine now reads pages differently than engine version ${ENGINE_VERSION} did: bump ENGINE_VERSION in functions/core/engine.ts, then run \`npm run baseline\``,
      );
    }
  }
  return `${JSON.stringify({ engineVersion: ENGINE_VERSION, readingFingerprint: readingFingerprintNow }, null, 2)}\n`;
}

export function renderBaselines(): Map<string, string> {
  const files = new Map<string, string>();
  for (const seed of loadSeeds()) {
    const baseline = buildBaseline(readPolicy(seed.text, { format: seed.format, title: seed.name }));
    files.set(`${seed.policyId}.json`, `${JSON.stringify(baseline, null, 2)}\n`);
  }
  files.set(ENGINE_VERSION_FILE, engineVersionFile());
  return files;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = `${SEEDS_DIR}baselines/`;
  mkdirSync(dir, { recursive: true });
  for (const [name, json] of renderBaselines()) {
    writeFileSync(`${dir}${name}`, json);
    const sections = (JSON.parse(json) as { sections?: unknown[] }).sections?.length;
    console.log(`seeds/baselines/${name}${sections === undefined ? '' : `  ${sections} sections`}`);
  }
}
