/**
 * `policy-monitor`: the engine from the command line (baseline, diff). Exit code 0 whether or not
 * something changed; 1 with a one-line message on stderr on any error.
 */
import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { buildBaseline, comparePolicies } from '../core/engine.ts';
import type { PolicyRecord, SubscriptionRecord } from '../core/ports.ts';
import { CATEGORIES, type InputFormat } from '../core/types.ts';
import { apiTarget, callApi, listAll } from './api-client.ts';
import { CliError, loadPolicy, type InputOptions } from './inputs.ts';
import { renderBaseline, renderDiff, renderPolicies, renderSubscriptions } from './render.ts';

function collect(value: string, previous: string[]): string[] {
  return [...previous, value];
}

function collectCategory(value: string, previous: string[]): string[] {
  if (!(CATEGORIES as readonly string[]).includes(value)) throw new InvalidArgumentError(`unknown category; one of ${CATEGORIES.join(', ')}`);
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

  const policies = program.command('policies').description('tracked policies, through the HTTP API');
  withApiOptions(policies.command('list').description('list the tracked policies').option('--json', 'print JSON')).action(
    async (opts: ApiOptions & { json?: boolean }) => {
      const items = await listAll<PolicyRecord>(apiTarget(opts), '/policies');
      process.stdout.write(`${opts.json ? JSON.stringify(items, null, 2) : renderPolicies(items)}\n`);
    },
  );
  withApiOptions(
    policies
      .command('add')
      .description('track a policy; its first check makes the baseline')
      .argument('<url>', 'the policy page')
      .requiredOption('--name <name>', 'the policy name, e.g. "Acme Privacy Policy"')
      .option('--id <policyId>', 'policy id (default: a slug of the name)')
      .addOption(formatOption())
      .option('--select <css>', 'CSS selector of the policy on an HTML page')
      .option('--interval-hours <hours>', 'hours between checks (default 12)', Number)
      .option('--json', 'print JSON'),
  ).action(async (url: string, opts: ApiOptions & { name: string; id?: string; format?: InputFormat; select?: string; intervalHours?: number; json?: boolean }) => {
    const policy = await callApi<PolicyRecord>(apiTarget(opts), 'POST', '/policies', {
      name: opts.name,
      url,
      ...(opts.id ? { policyId: opts.id } : {}),
      ...(opts.format ? { format: opts.format } : {}),
      ...(opts.select ? { select: opts.select } : {}),
      ...(opts.intervalHours !== undefined ? { intervalHours: opts.intervalHours } : {}),
    });
    process.stdout.write(opts.json ? `${JSON.stringify(policy, null, 2)}\n` : `Tracking ${policy.policyId} (${policy.url}), checked every ${policy.intervalHours} h\n`);
  });

  const subscriptions = program.command('subscriptions').description('email subscriptions, through the HTTP API');
  withApiOptions(subscriptions.command('list').description('list the subscriptions, confirmed or not').option('--json', 'print JSON')).action(
    async (opts: ApiOptions & { json?: boolean }) => {
      const items = await listAll<SubscriptionRecord>(apiTarget(opts), '/subscriptions');
      process.stdout.write(`${opts.json ? JSON.stringify(items, null, 2) : renderSubscriptions(items)}\n`);
    },
  );
  withApiOptions(
    subscriptions
      .command('add')
      .description('subscribe an address; it gets a confirmation email and nothing else until it confirms')
      .argument('<email>', 'the address to alert')
      .option('--policy <policyId>', 'a policy to follow (repeatable; default: all)', collect, [])
      .option('--category <category>', `a category to hear about (repeatable; default: every material change): ${CATEGORIES.join(', ')}`, collectCategory, [])
      .option('--daily', 'one digest a day instead of one email per change')
      .option('--json', 'print JSON'),
  ).action(async (email: string, opts: ApiOptions & { policy: string[]; category: string[]; daily?: boolean; json?: boolean }) => {
    const subscription = await callApi<SubscriptionRecord>(apiTarget(opts), 'POST', '/subscriptions', {
      email,
      policies: opts.policy.length > 0 ? opts.policy : 'all',
      categories: opts.category.length > 0 ? opts.category : 'material',
      delivery: opts.daily ? 'daily' : 'each',
    });
    process.stdout.write(
      opts.json ? `${JSON.stringify(subscription, null, 2)}\n` : `Subscription ${subscription.subscriptionId}: confirmation email sent to ${subscription.email}\n`,
    );
  });

  return program;
}

interface ApiOptions {
  api?: string;
  apiKey?: string;
}

function withApiOptions(command: Command): Command {
  return command
    .option('--api <url>', 'base URL of the API (env POLICY_MONITOR_API)')
    .option('--api-key <key>', 'API Gateway key, sent as x-api-key (env POLICY_MONITOR_API_KEY)');
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
