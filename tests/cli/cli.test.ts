// The CLI as users run it: a real process, real files, a real local HTTP server.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const BIN = fileURLToPath(new URL('../../bin/policy-monitor.js', import.meta.url));
const SEED = fileURLToPath(new URL('../../seeds/004_419ecedd7c3c2f36.txt', import.meta.url));

interface Run {
  code: number;
  stdout: string;
  stderr: string;
}

function run(args: string[], env: Record<string, string> = {}): Promise<Run> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', POLICY_MONITOR_ALLOW_HOSTS: '', ...env }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const dir = mkdtempSync(join(tmpdir(), 'policy-cli-'));
const seedText = readFileSync(SEED, 'utf8');
const before = join(dir, 'before.md');
const after = join(dir, 'after.md');
writeFileSync(before, seedText);
writeFileSync(after, seedText.replace('for as long as We have a relationship with you', 'for five years after your account is closed'));

let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((req, res) => {
    if (req.url === '/policy.md') {
      res.writeHead(200, { 'content-type': 'text/markdown; charset=utf-8' }).end(seedText);
    } else if (req.url === '/challenge') {
      res.writeHead(200, { 'content-type': 'text/html' }).end('<html><head><title>Just a moment...</title></head><body><div id="cf-chl-widget">Checking your browser before accessing the site.</div></body></html>');
    } else {
      res.writeHead(404).end();
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

describe('policy-monitor diff', () => {
  it('prints the JSON contract with the retention change and exits 0', async () => {
    const { code, stdout, stderr } = await run(['diff', before, after, '--json']);
    expect(stderr).toBe('');
    expect(code).toBe(0);
    const result = JSON.parse(stdout);
    expect(Object.keys(result)).toEqual(['material', 'effectiveDate', 'changes', 'notes']);
    expect(result.material).toBe(true);
    expect(result.effectiveDate).toEqual({ before: '2018-05-25', after: '2018-05-25' });
    const change = result.changes.find((c: { material: boolean }) => c.material);
    expect(change.sectionPath).toEqual(['RETENTION']);
    expect(change.categories).toContain('retention');
    expect(change.obligations).toContainEqual(expect.objectContaining({ type: 'retention-period', after: 'P5Y' }));
  });

  it('prints a readable report without --json', async () => {
    const { code, stdout } = await run(['diff', before, after]);
    expect(code).toBe(0);
    expect(stdout).toContain('1 material change(s)');
    expect(stdout).toContain('RETENTION');
    expect(stdout).toContain('+ IMVBox will keep your Personal Information for five years after your account is closed');
  });

  it('exits 0 with no material change for identical inputs', async () => {
    const { code, stdout } = await run(['diff', before, before, '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ material: false, changes: [] });
  });

  it('fails with one line on stderr for a missing file', async () => {
    const { code, stdout, stderr } = await run(['diff', before, join(dir, 'nope.md')]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toBe(`policy-monitor: cannot read ${join(dir, 'nope.md')}: no such file\n`);
  });

  it('fails on an empty document', async () => {
    const empty = join(dir, 'empty.txt');
    writeFileSync(empty, '  \n\n');
    const { code, stderr } = await run(['baseline', empty]);
    expect(code).toBe(1);
    expect(stderr).toBe(`policy-monitor: ${empty} is empty\n`);
  });

  it('fails on a binary file', async () => {
    const binary = join(dir, 'image.txt');
    writeFileSync(binary, Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x00, 0x01]));
    const { code, stderr } = await run(['baseline', binary]);
    expect(code).toBe(1);
    expect(stderr).toBe(`policy-monitor: ${binary} is a binary file, not a policy text\n`);
  });
});

describe('policy-monitor with URL inputs', () => {
  it('refuses a loopback URL unless the host is allowed', async () => {
    const { code, stdout, stderr } = await run(['baseline', `${base}/policy.md`]);
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
    expect(stderr).toMatch(/^policy-monitor: Fetch failed: refused-address/);
  });

  it('fetches an allowed host and prints its baseline', async () => {
    const { code, stdout } = await run(['baseline', `${base}/policy.md`, '--allow-host', '127.0.0.1', '--json']);
    expect(code).toBe(0);
    const baseline = JSON.parse(stdout);
    expect(baseline.title).toBe('Privacy Policy | IMVBox | Watch Iranian Movies & Documentaries Online');
    expect(baseline.sections.find((s: { heading: string }) => s.heading === 'RETENTION').categories).toContain('retention');
  });

  it('reports a bot-challenge page as an error, never a diff', async () => {
    const { code, stdout, stderr } = await run(['diff', before, `${base}/challenge`], { POLICY_MONITOR_ALLOW_HOSTS: '127.0.0.1' });
    expect(code).toBe(1);
    expect(stdout).toBe('');
    expect(stderr).toMatch(/^policy-monitor: .*bot-challenge/);
  });
});

describe('policy-monitor baseline', () => {
  it('prints an outline of every seed section', async () => {
    const { code, stdout } = await run(['baseline', SEED]);
    expect(code).toBe(0);
    expect(stdout).toContain('Effective date: 2018-05-25');
    expect(stdout).toMatch(/RETENTION \(\d+ words\) .*retention/);
  });
});
