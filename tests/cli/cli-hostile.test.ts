// The CLI on hostile URLs: the same fetcher and page checks as the Lambdas, so each failure is
// exit code 1 with one line on stderr naming the reason, and nothing on stdout.
import { execFile } from 'node:child_process';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { fileURLToPath } from 'node:url';
import { gzipSync } from 'node:zlib';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { policyPage } from '../app/fakes.ts';

const BIN = fileURLToPath(new URL('../../bin/policy-monitor.js', import.meta.url));

function run(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [BIN, ...args], { env: { ...process.env, NO_COLOR: '1', POLICY_MONITOR_ALLOW_HOSTS: '' }, timeout: 30_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? Number(error.code ?? 1) : 0, stdout, stderr });
    });
  });
}

const BOMB = gzipSync(Buffer.alloc(32 * 1024 * 1024, 0x20));
let server: Server;
let base = '';
beforeAll(async () => {
  server = createServer((request, response) => {
    switch (request.url) {
      case '/policy':
        response.writeHead(200, { 'content-type': 'text/html; charset=utf-8' }).end(policyPage());
        break;
      case '/to-metadata':
        response.writeHead(302, { location: 'http://169.254.169.254/latest/meta-data/' }).end();
        break;
      case '/to-file':
        response.writeHead(301, { location: 'file:///etc/passwd' }).end();
        break;
      case '/huge':
        response.writeHead(200, { 'content-type': 'text/html', 'content-length': String(1024 * 1024 * 1024) });
        response.write('<p>');
        response.on('error', () => {});
        break;
      case '/bomb':
        response.writeHead(200, { 'content-type': 'text/html', 'content-encoding': 'gzip' }).end(BOMB);
        break;
      case '/soft-404':
        response.writeHead(200, { 'content-type': 'text/html' }).end('<!doctype html><html><head><title>Page not found</title></head><body><h1>404 - Page not found</h1></body></html>');
        break;
      case '/empty':
        response.writeHead(200, { 'content-type': 'text/html' }).end('');
        break;
      default:
        response.writeHead(404, { 'content-type': 'text/plain' }).end('no');
    }
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
});
afterAll(() => {
  server.closeAllConnections();
  return new Promise<void>((resolve) => server.close(() => resolve()));
});

const CASES: { path: string; command: 'baseline' | 'diff'; reason: RegExp }[] = [
  { path: '/to-metadata', command: 'diff', reason: /^policy-monitor: Fetch failed: refused-address: 169\.254\.169\.254 is linkLocal/ },
  { path: '/to-file', command: 'baseline', reason: /^policy-monitor: Fetch failed: bad-scheme: file: URLs are not fetched/ },
  { path: '/huge', command: 'baseline', reason: /^policy-monitor: Fetch failed: too-large: Content-Length 1073741824 exceeds/ },
  { path: '/bomb', command: 'diff', reason: /^policy-monitor: Fetch failed: decompression-bomb: gzip body inflates past/ },
  { path: '/soft-404', command: 'baseline', reason: /^policy-monitor: Fetch failed: error-page: not-found page/ },
  { path: '/empty', command: 'diff', reason: /^policy-monitor: Fetch failed: empty: / },
  { path: '/missing', command: 'baseline', reason: /^policy-monitor: Fetch failed: http-status: 404 Not Found from/ },
];

describe('policy-monitor on hostile URLs (--allow-host 127.0.0.1)', () => {
  for (const hostile of CASES) {
    it(`${hostile.command} ${hostile.path} exits 1 with one line naming the reason`, async () => {
      // Act
      const args = hostile.command === 'diff' ? ['diff', `${base}/policy`, `${base}${hostile.path}`] : ['baseline', `${base}${hostile.path}`];
      const { code, stdout, stderr } = await run([...args, '--allow-host', '127.0.0.1', '--json']);
      // Assess
      expect(code).toBe(1);
      expect(stdout).toBe('');
      expect(stderr.split('\n').filter(Boolean)).toHaveLength(1);
      expect(stderr).toMatch(hostile.reason);
    });
  }

  it('diffs the good page against itself with exit 0 (the fixture is fine)', async () => {
    const { code, stdout } = await run(['diff', `${base}/policy`, `${base}/policy`, '--allow-host', '127.0.0.1', '--json']);
    expect(code).toBe(0);
    expect(JSON.parse(stdout)).toMatchObject({ material: false, changes: [] });
  });
});
