/**
 * The tracked sites of the sweep benchmark: many policy pages on several "hosts", each host a
 * port of its own on 127.0.0.1 (the fetcher paces and serialises requests per host:port). Pages
 * are the seed policies rendered as HTML by the local policy server's renderer, stamped with
 * their own site name so every page has its own bytes. Even-numbered hosts send an ETag and
 * answer conditional GETs with 304; odd-numbered ones send neither (as many real sites), so an
 * unchanged page comes back whole and the check's sha256 short-circuit is what stops it.
 */
import { createHash } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { escapeHtml } from '../../functions/core/render-email.ts';
import { renderPolicyPage } from '../local/policy-server.ts';

export interface SweepSite {
  policyId: string;
  name: string;
  url: string;
}

export interface SweepServer {
  sites: SweepSite[];
  /** Replaces a page's body; the next fetch sees the new version. */
  edit(policyId: string, edit: (html: string) => string): void;
  stop(): Promise<void>;
}

interface Page {
  html: string;
  etag: string;
}

const PAGE_PATH = /^\/policies\/([a-z0-9-]+)\.html$/;

function pageOf(html: string): Page {
  return { html, etag: `"${createHash('sha256').update(html).digest('hex').slice(0, 32)}"` };
}

/**
 * Serves `count` pages over `hosts` ports, cycling through the seed templates. Each template is
 * rendered once; a page differs from its template only by its site name.
 */
export async function startSweepServer(options: {
  count: number;
  hosts: number;
  templates: Array<{ policyId: string; name: string; format: 'html' | 'markdown' | 'text'; text: string }>;
}): Promise<SweepServer> {
  const rendered = options.templates.map((template) => ({ template, html: renderPolicyPage(template, template.text) }));
  const pages = new Map<string, Page>();
  const servers: Server[] = [];
  const ports: number[] = [];
  for (let h = 0; h < options.hosts; h++) {
    const conditional = h % 2 === 0;
    const server = createServer((request, response) => {
      const path = new URL(request.url ?? '/', 'http://localhost').pathname;
      if (path === '/robots.txt') {
        response.writeHead(200, { 'content-type': 'text/plain; charset=utf-8' }).end('User-agent: *\nAllow: /\n');
        return;
      }
      const page = pages.get(PAGE_PATH.exec(path)?.[1] ?? '');
      if (page === undefined) {
        response.writeHead(404, { 'content-type': 'text/plain; charset=utf-8' }).end('Not found\n');
        return;
      }
      if (conditional && request.headers['if-none-match'] === page.etag) {
        response.writeHead(304, { etag: page.etag }).end();
        return;
      }
      response.writeHead(200, { 'content-type': 'text/html; charset=utf-8', ...(conditional ? { etag: page.etag } : {}), 'cache-control': 'no-cache' }).end(page.html);
    });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(0, '127.0.0.1', () => resolve());
    });
    servers.push(server);
    ports.push((server.address() as AddressInfo).port);
  }

  const sites: SweepSite[] = [];
  for (let i = 0; i < options.count; i++) {
    const { template, html } = rendered[i % rendered.length]!;
    const policyId = `site-${String(i).padStart(4, '0')}-${template.policyId}`;
    const name = `${template.name} (site ${i})`;
    // The title is the page's own: distinct bytes, hence distinct snapshot ids, per site.
    pages.set(policyId, pageOf(html.replace(/<title>[^<]*<\/title>/, `<title>${escapeHtml(name)}</title>`)));
    sites.push({ policyId, name, url: `http://127.0.0.1:${ports[i % ports.length]}/policies/${policyId}.html` });
  }

  return {
    sites,
    edit(policyId, edit) {
      const page = pages.get(policyId);
      if (page === undefined) throw new Error(`The sweep server has no page "${policyId}"`);
      const html = edit(page.html);
      if (html === page.html) throw new Error(`The edit of ${policyId} changed nothing; this is a bug in the benchmark`);
      pages.set(policyId, pageOf(html));
    },
    stop: async () => {
      await Promise.all(
        servers.map(
          (server) =>
            new Promise<void>((resolve) => {
              server.close(() => resolve());
              server.closeAllConnections();
            }),
        ),
      );
    },
  };
}
