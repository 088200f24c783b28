/**
 * `npm run demo:edit -- <policyId> [--cosmetic] [--reset]`: edits a policy served by the running
 * `npm start`, through its policy server. The next scheduled check finds the change; a material
 * edit then shows up as an email in the email viewer, a cosmetic one does not.
 */
import { Command } from 'commander';
import pc from 'picocolors';
import { cosmeticEdit, EDITABLE_POLICIES, materialEdit } from './local/demo-edits.ts';
import { runningLocalRun } from './local/run-file.ts';
import { LOCAL_RUN_FILE } from './local/stack.ts';

interface Options {
  cosmetic?: boolean;
  reset?: boolean;
  server?: string;
}

const program = new Command()
  .name('demo:edit')
  .description('Edit a policy served by `npm start` so that the next check detects a change')
  .argument('<policyId>', `one of: ${EDITABLE_POLICIES.join(', ')}`)
  .option('--cosmetic', 'a letter-case edit that must not alert anybody')
  .option('--reset', 'restore the seed text')
  .option('--server <url>', `policy server URL (default: read from ${LOCAL_RUN_FILE})`)
  .action(async (policyId: string, options: Options) => {
    const server = options.server ?? (await runningServer());
    const sourceUrl = `${server.replace(/\/+$/, '')}/policies/${encodeURIComponent(policyId)}.txt`;
    if (options.reset) {
      await request(sourceUrl, { method: 'DELETE' });
      console.log(`${pc.green('Reset')} ${policyId} to its seed text.`);
      return;
    }
    const source = await (await request(sourceUrl)).text();
    const edit = options.cosmetic ? cosmeticEdit(source) : materialEdit(policyId, source);
    if (edit === undefined) {
      throw new Error(
        options.cosmetic
          ? `${policyId} has no "personal information/data" to recase`
          : `no material edit left for ${policyId} (already applied? run with --reset first)`,
      );
    }
    await request(sourceUrl, { method: 'PUT', body: edit.text, headers: { 'content-type': 'text/plain; charset=utf-8' } });
    console.log(`${pc.green('Edited')} ${pc.bold(policyId)} (${options.cosmetic ? 'cosmetic' : 'material'}): ${edit.summary}`);
    console.log(pc.red(`  - ${edit.before}`));
    console.log(pc.green(`  + ${edit.after}`));
    console.log(
      options.cosmetic
        ? 'The next check stores the new snapshot and sends no email.'
        : 'The next check (within CHECK_INTERVAL_SECONDS, 30 s by default) records the change and emails demo@example.com: see the email viewer.',
    );
  });

async function runningServer(): Promise<string> {
  const run = await runningLocalRun(LOCAL_RUN_FILE);
  if (run === undefined) throw new Error(`no \`npm start\` is running in this directory (${LOCAL_RUN_FILE} names none); start it, or pass --server <url>`);
  return run.policyServer;
}

async function request(url: string, init?: RequestInit): Promise<Response> {
  let response: Response;
  try {
    response = await fetch(url, init);
  } catch (error) {
    throw new Error(`cannot reach the policy server at ${url}: is \`npm start\` running?`, { cause: error });
  }
  if (!response.ok) throw new Error(`${init?.method ?? 'GET'} ${url} answered ${response.status}`);
  return response;
}

program.parseAsync().catch((error: unknown) => {
  console.error(pc.red(`demo:edit: ${error instanceof Error ? error.message : String(error)}`));
  process.exit(1);
});
