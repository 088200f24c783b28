// A second `npm start` must find the first one from .local-data/local-run.json, and a stale file must not block a start.
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { removeLocalRun, runningLocalRun, writeLocalRun, type LocalRun } from '../../scripts/local/run-file.ts';

const children: ChildProcess[] = [];
afterEach(() => {
  for (const child of children.splice(0)) child.kill();
});

/** A process whose command line names scripts/start.ts, as the real `npm start` child does. */
async function fakeStart(): Promise<number> {
  const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)', 'scripts/start.ts'], { stdio: 'ignore' });
  children.push(child);
  await new Promise((resolve) => child.once('spawn', resolve));
  return child.pid!;
}

async function runFile(): Promise<string> {
  return join(await mkdtemp(join(tmpdir(), 'policy-monitor-run-')), 'local-run.json');
}

const run = (pid: number): LocalRun => ({ api: 'http://127.0.0.1:3000', policyServer: 'http://127.0.0.1:4000', emailViewer: 'http://127.0.0.1:5000/', pid });

describe('local run file', () => {
  it('names a running npm start, with its API and policy server', async () => {
    const path = await runFile();
    const pid = await fakeStart();
    await writeLocalRun(path, run(pid));
    expect(await runningLocalRun(path)).toEqual(run(pid));
  });

  it('names nothing when its process has exited (a crash left the file)', async () => {
    const path = await runFile();
    const pid = await fakeStart();
    await writeLocalRun(path, run(pid));
    const child = children.pop()!;
    const exited = new Promise((resolve) => child.once('exit', resolve));
    child.kill();
    await exited;
    expect(await runningLocalRun(path)).toBeUndefined();
  });

  it('names nothing when the pid now belongs to a program that is not npm start', async () => {
    const path = await runFile();
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30_000)'], { stdio: 'ignore' });
    children.push(child);
    await new Promise((resolve) => child.once('spawn', resolve));
    await writeLocalRun(path, run(child.pid!));
    expect(await runningLocalRun(path)).toBeUndefined();
  });

  it('names nothing for a missing or unreadable file', async () => {
    const path = await runFile();
    expect(await runningLocalRun(path)).toBeUndefined();
    await writeFile(path, '{"api": ');
    expect(await runningLocalRun(path)).toBeUndefined();
  });

  it('is removed on stop only by the instance it describes', async () => {
    const path = await runFile();
    await writeLocalRun(path, run(12345));
    await removeLocalRun(path, 999);
    expect(JSON.parse(await readFile(path, 'utf8'))).toEqual(run(12345));
    await removeLocalRun(path, 12345);
    await expect(readFile(path, 'utf8')).rejects.toThrow(/ENOENT/);
    await rm(path, { force: true });
  });
});
