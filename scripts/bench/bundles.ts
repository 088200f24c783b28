/**
 * Lambda bundle benchmark: each handler bundled exactly as the CDK stack bundles it
 * (infra/lambda-bundle.ts, target node22 as the runtime), its
 * size, its heaviest packages (from esbuild's metafile), and the time a fresh Node process takes
 * to import it: module-scope code included (SDK clients, Logger, adapters), as on a cold start.
 */
import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { fileURLToPath } from 'node:url';
import type * as esbuild from 'esbuild';
import { bundleLambda } from '../../infra/lambda-bundle.ts';

const run = promisify(execFile);
const HANDLERS_DIR = fileURLToPath(new URL('../../functions/handlers/', import.meta.url));
const NODE_MODULES_CACHE = fileURLToPath(new URL('../../node_modules/.cache/policy-monitor-bench/', import.meta.url));
export const HANDLERS = ['scheduler', 'digest', 'api', 'check'] as const;

export interface BundleResult {
  name: string;
  bytes: number;
  importMs: number;
  /** Every import sample, sorted (ms). */
  importSamplesMs: number[];
  /**
   * Size with `@aws-sdk/*` left to the Lambda runtime's own copy, for comparison only: the stack
   * bundles the SDK (infra/monitor-function.ts says why), and `bytes` is what it deploys.
   */
  bytesWithSdkExternal: number;
  /**
   * Import time of that SDK-external bundle, the SDK then loaded from node_modules as the runtime
   * loads its own copy (CommonJS, every command of each client): the other side of the trade-off.
   */
  importMsWithSdkExternal: number;
  /** The largest packages in the minified output, bytes. */
  heaviest: Array<{ module: string; bytes: number }>;
}

// What the stack sets for every function (runtime.ts reads it at import); values are placeholders.
const HANDLER_ENV: Record<string, string> = {
  AWS_REGION: 'us-east-1',
  SNAPSHOT_BUCKET: 'bench-bucket',
  CHECK_QUEUE_URL: 'https://sqs.us-east-1.amazonaws.com/000000000000/bench',
  SENDER_EMAIL: 'bench@example.org',
  PUBLIC_BASE_URL: 'https://example.org',
  UNSUBSCRIBE_SECRET: 'bench',
  POLICIES_TABLE: 'policies',
  SNAPSHOTS_TABLE: 'snapshots',
  CHECKS_TABLE: 'checks',
  CHANGES_TABLE: 'changes',
  SUBSCRIPTIONS_TABLE: 'subscriptions',
  NOTIFICATIONS_TABLE: 'notifications',
};

// Runs in a fresh `node`: the time of the dynamic import alone, Node's own start-up excluded.
const IMPORT_PROBE = 'const t = performance.now(); await import(process.argv[1]); process.stdout.write(String(performance.now() - t));';

export async function buildBundle(name: string, outdir: string, extraExternal: string[] = []): Promise<{ file: string; metafile: esbuild.Metafile }> {
  return bundleLambda({ entry: join(HANDLERS_DIR, `${name}.ts`), outdir: join(outdir, name), extraExternal });
}

function heaviestPackages(metafile: esbuild.Metafile, count: number): Array<{ module: string; bytes: number }> {
  const output = Object.values(metafile.outputs).find((candidate) => candidate.entryPoint !== undefined);
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const module = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? '(project code)';
    byPackage.set(module, (byPackage.get(module) ?? 0) + bytesInOutput);
  }
  return [...byPackage].sort((a, b) => b[1] - a[1]).slice(0, count).map(([module, bytes]) => ({ module, bytes }));
}

async function importMs(file: string): Promise<number> {
  const { stdout } = await run(process.execPath, ['--input-type=module', '-e', IMPORT_PROBE, file], { env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true', ...HANDLER_ENV } });
  return Number(stdout);
}

export async function benchBundles(options: { importRuns: number; onStep?: () => void }): Promise<BundleResult[]> {
  const outdir = await mkdtemp(join(tmpdir(), 'policy-monitor-bench-'));
  // Inside the project, so that the SDK-external bundles resolve `@aws-sdk/*` from node_modules.
  await mkdir(NODE_MODULES_CACHE, { recursive: true });
  const externalDir = await mkdtemp(join(NODE_MODULES_CACHE, 'bench-'));
  try {
    const built = [];
    for (const name of HANDLERS) {
      const { file, metafile } = await buildBundle(name, outdir);
      const sdkExternal = await buildBundle(name, externalDir, ['@aws-sdk/*']);
      built.push({ name, file, metafile, externalFile: sdkExternal.file, bytesWithSdkExternal: (await stat(sdkExternal.file)).size, samples: [] as number[], externalSamples: [] as number[] });
      options.onStep?.();
    }
    // Round-robin, so that load from other processes hits every bundle (and both variants) alike.
    for (let i = 0; i < options.importRuns; i++) {
      for (const bundle of built) {
        bundle.samples.push(await importMs(bundle.file));
        bundle.externalSamples.push(await importMs(bundle.externalFile));
        options.onStep?.();
      }
    }
    const results: BundleResult[] = [];
    for (const { name, file, metafile, bytesWithSdkExternal, samples, externalSamples } of built) {
      samples.sort((a, b) => a - b);
      externalSamples.sort((a, b) => a - b);
      results.push({
        name,
        bytes: (await stat(file)).size,
        importMs: round(samples[Math.floor(samples.length / 2)]!),
        importSamplesMs: samples.map((s) => round(s)),
        bytesWithSdkExternal,
        importMsWithSdkExternal: round(externalSamples[Math.floor(externalSamples.length / 2)]!),
        heaviest: heaviestPackages(metafile, 6),
      });
    }
    return results;
  } finally {
    await rm(outdir, { recursive: true, force: true });
    await rm(externalDir, { recursive: true, force: true });
  }
}

function round(n: number): number {
  return Number(n.toFixed(1));
}
