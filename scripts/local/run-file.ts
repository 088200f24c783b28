/**
 * .local-data/local-run.json: where a running `npm start` serves (read by `npm run demo:edit`) and
 * which process it is, so that a second `npm start` in the same directory stops with a clear
 * message instead of crashing on the first instance's locked emulator data.
 */
import { readFile, rm, writeFile } from 'node:fs/promises';

export interface LocalRun {
  api: string;
  policyServer: string;
  emailViewer: string;
  pid: number;
}

export async function writeLocalRun(path: string, run: LocalRun): Promise<void> {
  await writeFile(path, `${JSON.stringify(run, null, 2)}\n`);
}

/** Removes the file if it still describes `pid` (a newer instance may have replaced it). */
export async function removeLocalRun(path: string, pid: number): Promise<void> {
  if ((await readLocalRun(path))?.pid === pid) await rm(path, { force: true });
}

/** The run the file describes, whether or not its process still runs; undefined without a readable file. */
async function readLocalRun(path: string): Promise<LocalRun | undefined> {
  try {
    const run = JSON.parse(await readFile(path, 'utf8')) as Partial<LocalRun>;
    return typeof run.pid === 'number' && typeof run.api === 'string' && typeof run.policyServer === 'string' && typeof run.emailViewer === 'string'
      ? (run as LocalRun)
      : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The `npm start` the file describes if that process is still running. A file left by a crash, or
 * whose pid the system has since given to another program, describes nothing.
 */
export async function runningLocalRun(path: string): Promise<LocalRun | undefined> {
  const run = await readLocalRun(path);
  if (run === undefined || run.pid === process.pid || !isAlive(run.pid)) return undefined;
  // Linux says what the process runs; elsewhere a live pid is taken at its word.
  const commandLine = await readFile(`/proc/${run.pid}/cmdline`, 'utf8').catch(() => undefined);
  return commandLine === undefined || commandLine.includes('start.ts') ? run : undefined;
}

function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    // EPERM: it exists, owned by someone else.
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
