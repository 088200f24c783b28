/**
 * `npm run bench`: the engine, the Lambda bundles and a simulated sweep, each against its target
 * and the engine against the naive whole-document diff, measured side by side in one run. Prints
 * a summary table and writes bench/results.json (DESIGN.md §3 "Benchmark output").
 *
 * Options (environment): BENCH_ENGINE_RUNS (default 50), BENCH_IMPORT_RUNS (default 9),
 * BENCH_POLICIES (default 1000), BENCH_WORKERS (default 5).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { availableParallelism, cpus, loadavg } from 'node:os';
import { dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import cliProgress from 'cli-progress';
import pc from 'picocolors';
import { benchBundles, HANDLERS, type BundleResult } from './bench/bundles.ts';
import { benchEngine, type EngineResult } from './bench/engine.ts';
import { costModel } from './bench/cost.ts';
import { benchSweep, type SweepResult } from './bench/sweep.ts';

const RESULTS_FILE = fileURLToPath(new URL('../bench/results.json', import.meta.url));
const COST_FILE = fileURLToPath(new URL('../bench/COST.md', import.meta.url));

const TARGETS = {
  engineMedianMs: 15,
  speedup: 10,
  unchangedMs: 1,
  bundleBytes: 600 * 1024,
  importMs: 150,
  sweepSeconds: 60,
  usdPerMonth: 1,
};

const ENGINE_RUNS = positive(process.env.BENCH_ENGINE_RUNS, 50);
const IMPORT_RUNS = positive(process.env.BENCH_IMPORT_RUNS, 9);
const POLICIES = positive(process.env.BENCH_POLICIES, 1000);
// Five concurrent check invocations: the SQS event source's maxConcurrency in infra.
const WORKERS = positive(process.env.BENCH_WORKERS, 5);

function positive(value: string | undefined, fallback: number): number {
  const n = Number(value);
  return Number.isInteger(n) && n > 0 ? n : fallback;
}

function bar(label: string, total: number): cliProgress.SingleBar {
  const progress = new cliProgress.SingleBar(
    { format: `${label.padEnd(22)} {bar} {value}/{total} {phase}`, hideCursor: true, clearOnComplete: false, noTTYOutput: true, notTTYSchedule: 5000 },
    cliProgress.Presets.shades_classic,
  );
  progress.start(total, 0, { phase: '' });
  return progress;
}

async function main(): Promise<void> {
  const started = performance.now();
  // The AWS SDK's Node-version notice and the Logger's info lines are noise in a benchmark.
  process.env.POWERTOOLS_LOG_LEVEL ??= 'WARN';
  process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED ??= 'true';

  const engineBar = bar('engine (IMVU, 69 KB)', ENGINE_RUNS);
  const engine = benchEngine(ENGINE_RUNS, () => engineBar.increment());
  engineBar.stop();

  const bundleBar = bar('bundles (esbuild)', HANDLERS.length * (1 + IMPORT_RUNS));
  const bundles = await benchBundles({ importRuns: IMPORT_RUNS, onStep: () => bundleBar.increment() });
  bundleBar.stop();

  const sweepBar = bar(`sweep (${POLICIES} policies)`, 2 * POLICIES);
  const sweep = await benchSweep({
    policies: POLICIES,
    hosts: 20,
    changedShare: 0.1,
    workers: WORKERS,
    batchSize: 5,
    onCheck: (phase, done) => sweepBar.update((phase === 'baseline' ? 0 : POLICIES) + done, { phase: phase === 'baseline' ? 'baselines (setup)' : 'measured sweep' }),
  });
  sweepBar.stop();

  const machine = { cpus: availableParallelism(), node: process.version, cpuModel: cpus()[0]?.model ?? 'unknown', loadAverage: loadAverage() };
  const cost = costModel(sweep, bundles);
  const results = {
    engine,
    bundles: bundles.map(({ name, bytes, importMs, importSamplesMs, bytesWithSdkExternal, importMsWithSdkExternal, heaviest }) => ({ name, bytes, importMs, importSamplesMs, bytesWithSdkExternal, importMsWithSdkExternal, heaviest })),
    sweep,
    cost: { usdPerMonthPer1000Policies: round2(cost.variable), fixedUsdPerMonth: round2(cost.fixed), totalUsdPerMonth: round2(cost.total) },
    machine,
    totalSeconds: 0,
  };
  results.totalSeconds = Number(((performance.now() - started) / 1000).toFixed(1));
  await mkdir(dirname(RESULTS_FILE), { recursive: true });
  await writeFile(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  await writeFile(COST_FILE, cost.markdown);

  console.log(`\n${summaryTable(engine, bundles, sweep, cost.variable)}`);
  console.log(`\n${machine.cpus} CPUs (${machine.cpuModel}), Node ${machine.node}, load ${machine.loadAverage}; ${results.totalSeconds} s in all. Written to bench/results.json and bench/COST.md.`);
}

function loadAverage(): string {
  return loadavg().map((n) => n.toFixed(2)).join(' ');
}

type Row = [string, string, string, string];

function round2(n: number): number {
  return Number(n.toFixed(2));
}

function summaryTable(engine: EngineResult, bundles: BundleResult[], sweep: SweepResult, usdPerMonth: number): string {
  const mark = (ok: boolean): string => (ok ? pc.green('ok') : pc.red('MISSED'));
  const kb = (bytes: number): string => `${(bytes / 1024).toFixed(0)} KB`;
  const rows: Row[] = [
    ['engine: check path, median (p95)', `${engine.medianMs} ms (${engine.p95Ms} ms)`, `< ${TARGETS.engineMedianMs} ms`, mark(engine.medianMs < TARGETS.engineMedianMs)],
    ['whole-document diffWords, median', `${engine.wholeDiffWordsMedianMs} ms`, '', ''],
    ['speed-up vs whole diffWords', `${engine.speedupVsWholeDiffWords}×`, `≥ ${TARGETS.speedup}×`, mark(engine.speedupVsWholeDiffWords >= TARGETS.speedup)],
    [`engine phases: parse / segment / compare (${engine.changes} changes)`, `${engine.phasesMedianMs.parse} / ${engine.phasesMedianMs.segment} / ${engine.phasesMedianMs.compare} ms`, '', ''],
    ['engine: both sides parsed (CLI), median', `${engine.bothSidesParsedMedianMs} ms (${engine.speedupBothSidesVsWholeDiffWords}×)`, '', ''],
    ['unchanged (hash short-circuit), median', `${engine.unchangedMedianMs} ms`, `< ${TARGETS.unchangedMs} ms`, mark(engine.unchangedMedianMs < TARGETS.unchangedMs)],
    ...bundles.flatMap((b): Row[] => [
      [`bundle ${b.name}: size (SDK external: ${kb(b.bytesWithSdkExternal)})`, kb(b.bytes), `≤ ${kb(TARGETS.bundleBytes)}`, mark(b.bytes <= TARGETS.bundleBytes)],
      [`bundle ${b.name}: import, median (SDK external: ${b.importMsWithSdkExternal} ms)`, `${b.importMs} ms`, `≤ ${TARGETS.importMs} ms`, mark(b.importMs <= TARGETS.importMs)],
    ]),
    [`sweep: ${sweep.policies} policies, ${sweep.changedPolicies} changed`, `${sweep.seconds} s (${sweep.checksPerSecond} checks/s)`, `≤ ${TARGETS.sweepSeconds} s`, mark(sweep.seconds <= TARGETS.sweepSeconds)],
    ['sweep: S3 objects written, unchanged', String(sweep.objectsWrittenForUnchanged), '0', mark(sweep.objectsWrittenForUnchanged === 0)],
    ['sweep: S3 objects written, changed', String(sweep.objectsWrittenForChanged), `${2 * sweep.changedPolicies}`, ''],
    ['sweep: first (baseline) sweep, setup', `${sweep.baselineSweepSeconds} s`, '', ''],
    ['cost per 1,000 policies a month (COST.md)', `$${usdPerMonth.toFixed(2)}`, `≤ $${TARGETS.usdPerMonth}`, mark(usdPerMonth <= TARGETS.usdPerMonth)],
  ];
  const header: Row = ['measure', 'result', 'target', ''];
  const widths = [0, 1, 2].map((i) => Math.max(...[header, ...rows].map((r) => r[i]!.length)));
  const line = (r: Row): string => `${r[0].padEnd(widths[0]!)}  ${r[1].padStart(widths[1]!)}  ${r[2].padEnd(widths[2]!)}  ${r[3]}`;
  return [pc.bold(line(header)), ...rows.map(line)].join('\n');
}

main().catch((error: unknown) => {
  console.error(`bench failed: ${error instanceof Error ? error.stack ?? error.message : String(error)}`);
  process.exitCode = 1;
});
