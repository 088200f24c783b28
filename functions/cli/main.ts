/**
 * `policy-monitor`: the engine from the command line (baseline, diff). Exit code 0 whether or not
 * something changed; 1 with a one-line message on stderr on any error.
 */
import { Command, CommanderError, Option } from 'commander';
import { buildBaseline, comparePolicies } from '../core/engine.ts';
import type { InputFormat } from '../core/types.ts';
import { CliError, loadPolicy, type InputOptions } from './inputs.ts';
import { renderBaseline, renderDiff } from './render.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function inputOptions(opts: { format?: InputFormat; allowHost: string[] }): InputOptions {
  const fromEnv = (process.env.POLICY_MONITOR_ALLOW_HOSTS ?? '').split(',').map((h) => h.trim()).filter(Boolean);
  return { ...(opts.format ? { format: opts.format } : {}), allowHosts: [...opts.allowHost, ...fromEnv] };
}

const formatOption = (): Option => new Option('--format <format>', 'input format (default: from extension or content)').choices(['html', 'markdown', 'text']);
const allowHostOption = (): Option =>
  new Option('--allow-host <host>', 'allow fetching from this private host, e.g. 127.0.0.1 (repeatable; env POLICY_MONITOR_ALLOW_HOSTS)').argParser(collect).default([]);

export function buildProgram(): Command {
  const program = new Command('policy-monitor')
    .description('Clause-level, noise-free diffs of privacy policies and terms')
    .exitOverride()
    .configureOutput({ writeErr: (s) => process.stderr.write(s) });

  program
    .command('baseline')
    .description('print the structured baseline of a policy (file or URL)')
    .argument('<input>', 'file (.html, .md, .txt) or URL')
    .option('--json', 'print JSON')
    .addOption(formatOption())
    .addOption(allowHostOption())
    .action(async (input: string, opts: { json?: boolean; format?: InputFormat; allowHost: string[] }) => {
      const baseline = buildBaseline(await loadPolicy(input, inputOptions(opts)));
      process.stdout.write(`${opts.json ? JSON.stringify(baseline, null, 2) : renderBaseline(baseline)}\n`);
    });

  program
    .command('diff')
    .description('compare two versions of a policy (files or URLs)')
    .argument('<before>', 'the approved version')
    .argument('<after>', 'the current version')
    .option('--json', 'print JSON')
    .addOption(formatOption())
    .addOption(allowHostOption())
    .action(async (beforeInput: string, afterInput: string, opts: { json?: boolean; format?: InputFormat; allowHost: string[] }) => {
      const options = inputOptions(opts);
      const [before, after] = await Promise.all([loadPolicy(beforeInput, options), loadPolicy(afterInput, options)]);
      const result = comparePolicies(
        { effectiveDate: before.document.effectiveDate ?? null, sections: before.sections },
        { effectiveDate: after.document.effectiveDate ?? null, sections: after.sections },
      );
      if (opts.json) {
        // The JSON contract (DESIGN.md §3) lists these fields; highlighting tokens stay internal.
        const changes = result.changes.map(({ diff: _diff, ...change }) => change);
        process.stdout.write(`${JSON.stringify({ ...result, changes }, null, 2)}\n`);
      } else {
        process.stdout.write(`${renderDiff(result)}\n`);
      }
    });

  return program;
}

export async function main(argv: string[]): Promise<number> {
  try {
    await buildProgram().parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 1; // commander already printed it
    const message = error instanceof CliError || (error as Error).name === 'FetchError' ? (error as Error).message : `unexpected error: ${(error as Error).message}`;
    process.stderr.write(`policy-monitor: ${message.split('\n')[0]}\n`);
    return 1;
  }
}

process.exitCode = await main(process.argv.slice(2));
