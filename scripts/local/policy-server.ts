/**
 * A local web server that plays the tracked sites: each seed policy (plain text or Markdown) is
 * served as an HTML page at /policies/<policyId>.html, with an ETag for conditional GET. The
 * page is built from the engine's own reading of the seed (headings → h1–h6, paragraphs → p,
 * list items → li), so the sections found in the page are those found in the seed file.
 *
 * Edits, for demos and tests: GET /policies/<id>.txt is the current source text, PUT replaces
 * it (the next check sees the change), DELETE restores the seed. With `editsDir`, edits are kept
 * on disk and survive a restart.
 */
import { createHash } from 'node:crypto';
import { mkdir, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { readPolicy } from '../../functions/core/engine.ts';
import { escapeHtml } from '../../functions/core/render-email.ts';
import { INTRODUCTION_HEADING } from '../../functions/core/sections.ts';
import type { InputFormat, Section } from '../../functions/core/types.ts';

export interface ServedPolicy {
  policyId: string;
  name: string;
  /** Format of `text` (the served page is always HTML). */
  format: InputFormat;
  text: string;
}

export interface PolicyServerOptions {
  policies: ServedPolicy[];
  /** @default 0 (any free port) */
  port?: number;
  /** Where edits are kept across restarts; without it they live in memory. */
  editsDir?: string;
}

export interface PolicyServer {
  /** http://127.0.0.1:<port> */
  url: string;
  pageUrl(policyId: string): string;
  /** The current source text (the seed, or its edit). */
  source(policyId: string): string;
  /** Replaces the source text; the page changes at once. */
  edit(policyId: string, text: string): Promise<void>;
  /** Back to the seed text. */
  reset(policyId: string): Promise<void>;
  stop(): Promise<void>;
}

const HOST = '127.0.0.1';
const MAX_EDIT_BYTES = 5 * 1024 * 1024;
const PAGE_PATH = /^\/policies\/([a-z0-9-]+)\.(html|txt)$/;

interface Entry {
  policy: ServedPolicy;
  source: string;
  page?: { html: string; etag: string };
}

export async function startPolicyServer(options: PolicyServerOptions): Promise<PolicyServer> {
  const entries = new Map<string, Entry>();
  for (const policy of options.policies) {
    const saved = options.editsDir === undefined ? undefined : await readFile(editPath(options.editsDir, policy.policyId), 'utf8').catch(() => undefined);
    entries.set(policy.policyId, { policy, source: saved ?? policy.text });
  }
  if (options.editsDir !== undefined) await mkdir(options.editsDir, { recursive: true });

  const entryOf = (policyId: string): Entry => {
    const entry = entries.get(policyId);
    if (entry === undefined) throw new Error(`The policy server has no policy "${policyId}"`);
    return entry;
  };
  const edit = async (policyId: string, text: string): Promise<void> => {
    const entry = entryOf(policyId);
    entry.source = text;
    entry.page = undefined;
    if (options.editsDir !== undefined) await writeFile(editPath(options.editsDir, policyId), text, 'utf8');
  };
  const reset = async (policyId: string): Promise<void> => {
    const entry = entryOf(policyId);
    entry.source = entry.policy.text;
    entry.page = undefined;
    if (options.editsDir !== undefined) await rm(editPath(options.editsDir, policyId), { force: true });
  };

  const server = createServer((request, response) => {
    route(request, response).catch((error: unknown) => send(response, 500, 'text/plain', `Error: ${error instanceof Error ? error.message : String(error)}\n`));
  });

  async function route(request: IncomingMessage, response: ServerResponse): Promise<void> {
    const path = new URL(request.url ?? '/', 'http://localhost').pathname;
    if (path === '/robots.txt') return send(response, 200, 'text/plain; charset=utf-8', 'User-agent: *\nAllow: /\n');
    if (path === '/') return send(response, 200, 'text/html; charset=utf-8', indexPage(entries));
    const match = PAGE_PATH.exec(path);
    const entry = match ? entries.get(match[1] as string) : undefined;
    if (!match || entry === undefined) return send(response, 404, 'text/plain; charset=utf-8', 'Not found\n');
    if (match[2] === 'html') {
      if (request.method !== 'GET' && request.method !== 'HEAD') return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
      entry.page ??= renderPage(entry);
      response.setHeader('ETag', entry.page.etag);
      response.setHeader('Cache-Control', 'no-cache');
      if (request.headers['if-none-match'] === entry.page.etag) {
        response.statusCode = 304;
        response.end();
        return;
      }
      return send(response, 200, 'text/html; charset=utf-8', request.method === 'HEAD' ? '' : entry.page.html);
    }
    switch (request.method) {
      case 'GET':
        return send(response, 200, 'text/plain; charset=utf-8', entry.source);
      case 'PUT':
        await edit(entry.policy.policyId, await readBody(request));
        return send(response, 204, 'text/plain', '');
      case 'DELETE':
        await reset(entry.policy.policyId);
        return send(response, 204, 'text/plain', '');
      default:
        return send(response, 405, 'text/plain; charset=utf-8', 'Method not allowed\n');
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, HOST, () => resolve());
  });
  const url = `http://${HOST}:${(server.address() as AddressInfo).port}`;
  let stopped: Promise<void> | undefined;
  return {
    url,
    pageUrl: (policyId) => `${url}/policies/${policyId}.html`,
    source: (policyId) => entryOf(policyId).source,
    edit,
    reset,
    stop: () =>
      (stopped ??= new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()));
        server.closeAllConnections();
      })),
  };
}

/** The policy as an HTML page whose headings, paragraphs and lists are the engine's sections. */
export function renderPolicyPage(policy: Pick<ServedPolicy, 'name' | 'format'>, source: string): string {
  const { document, sections } = readPolicy(source, { format: policy.format, title: policy.name });
  const body = sections.map(renderSection).join('\n');
  return [
    '<!doctype html>',
    '<html lang="en">',
    `<head><meta charset="utf-8"><title>${escapeHtml(document.title)}</title></head>`,
    '<body>',
    '<header><nav><a href="/">Local policy server</a></nav></header>',
    '<main>',
    `<h1>${escapeHtml(document.title)}</h1>`,
    document.effectiveDate ? `<p>Last updated: ${escapeHtml(document.effectiveDate)}</p>` : '',
    body,
    '</main>',
    '<footer>Served by the policy-monitor local runner.</footer>',
    '</body>',
    '</html>',
    '',
  ]
    .filter((line) => line !== '')
    .join('\n');
}

function renderSection(section: Section, index: number): string {
  const parts: string[] = [];
  // The text before the first heading has no heading of its own in the source.
  const isIntroduction = index === 0 && section.heading === INTRODUCTION_HEADING && section.path.length === 1;
  if (!isIntroduction) {
    const level = Math.min(6, Math.max(1, section.level));
    parts.push(`<h${level}>${escapeHtml(section.heading)}</h${level}>`);
  }
  let list: string[] = [];
  const flushList = () => {
    if (list.length > 0) parts.push(`<ul>\n${list.join('\n')}\n</ul>`);
    list = [];
  };
  for (const line of section.text.split('\n')) {
    if (line.trim() === '') continue;
    if (line.startsWith('- ')) {
      list.push(`<li>${escapeHtml(line.slice(2))}</li>`);
    } else {
      flushList();
      parts.push(`<p>${escapeHtml(line)}</p>`);
    }
  }
  flushList();
  return parts.join('\n');
}

function renderPage(entry: Entry): { html: string; etag: string } {
  const html = renderPolicyPage(entry.policy, entry.source);
  return { html, etag: `"${createHash('sha256').update(html).digest('hex').slice(0, 32)}"` };
}

function indexPage(entries: Map<string, Entry>): string {
  const items = [...entries.values()]
    .map(({ policy, source }) => `<li><a href="/policies/${policy.policyId}.html">${escapeHtml(policy.name)}</a>${source === policy.text ? '' : ' (edited)'}</li>`)
    .join('\n');
  return `<!doctype html>\n<html lang="en"><head><meta charset="utf-8"><title>Local policy server</title></head>\n<body><h1>Local policy server</h1><ul>\n${items}\n</ul></body></html>\n`;
}

function send(response: ServerResponse, status: number, contentType: string, body: string): void {
  response.statusCode = status;
  if (body !== '' || status === 200) response.setHeader('Content-Type', contentType);
  response.end(body);
}

function readBody(request: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    request.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_EDIT_BYTES) {
        reject(new Error(`edit larger than ${MAX_EDIT_BYTES} bytes`));
        request.destroy();
        return;
      }
      chunks.push(chunk);
    });
    request.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    request.on('error', reject);
  });
}

function editPath(editsDir: string, policyId: string): string {
  return join(editsDir, `${policyId}.txt`);
}
