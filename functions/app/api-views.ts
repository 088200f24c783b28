/**
 * The diff pages and the Atom feeds. Pages are opened from emails and feeds by people without an
 * API key, so each needs a `view` token signed for it.
 */
import type { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import type { ChangeRecord } from '../core/ports.ts';
import { renderChangesFeed } from '../core/render-feed.ts';
import { renderChangePage, renderPolicyPage } from '../core/render-view.ts';
import { ApiError, htmlPage, requirePolicy, viewLink, type ApiDeps } from './api-common.ts';
import { changeView, feed, policyFeed, policyView } from './api-routes.ts';
import { checkLinkToken } from './link-tokens.ts';
import { recentChanges } from './recent-changes.ts';

/** Entries in a feed and changes on one timeline page. */
const FEED_ENTRIES = 50;
const TIMELINE_PAGE = 20;

export function addViewRoutes(app: OpenAPIHono, deps: ApiDeps): void {
  app.openapi(changeView, async (c) => {
    const { changeId } = c.req.valid('param');
    await requireViewToken(deps, 'change', changeId, c.req.valid('query').token);
    const change = await deps.store.getChange(changeId);
    if (change === undefined) throw new ApiError(404, 'not-found', `No change ${changeId}`);
    return htmlPage(c, renderChangePage({ change, policyViewUrl: await viewLink(deps, 'policy', change.policyId) }));
  });

  app.openapi(policyView, async (c) => {
    const { id } = c.req.valid('param');
    const { token, cursor } = c.req.valid('query');
    await requireViewToken(deps, 'policy', id, token);
    const policy = await requirePolicy(deps, id);
    const page = await deps.store.listChanges(id, cursor, TIMELINE_PAGE);
    const changeLinks = new Map(await Promise.all(page.items.map(async (change) => [change.changeId, await viewLink(deps, 'change', change.changeId)] as const)));
    const olderUrl = page.cursor === undefined ? undefined : `${await viewLink(deps, 'policy', id)}&cursor=${encodeURIComponent(page.cursor)}`;
    return htmlPage(
      c,
      renderPolicyPage({ policy, changes: page.items, changeUrl: (changeId) => changeLinks.get(changeId) ?? '', ...(olderUrl ? { olderUrl } : {}) }),
    );
  });

  app.openapi(feed, async (c) => {
    const changes = await recentChanges(deps.store, FEED_ENTRIES);
    return atomResponse(c, await changesFeed(deps, { title: 'Policy changes', selfUrl: `${deps.publicBaseUrl}/feed.atom`, pageUrl: `${deps.publicBaseUrl}/feed.atom`, changes }));
  });

  app.openapi(policyFeed, async (c) => {
    const policy = await requirePolicy(deps, c.req.valid('param').id);
    const { items } = await deps.store.listChanges(policy.policyId, undefined, FEED_ENTRIES);
    return atomResponse(
      c,
      await changesFeed(deps, {
        title: `${policy.name}: changes`,
        selfUrl: `${deps.publicBaseUrl}/policies/${policy.policyId}/feed.atom`,
        pageUrl: await viewLink(deps, 'policy', policy.policyId),
        changes: items,
      }),
    );
  });
}

/** The diff pages are opened from emails and feeds by people without an API key: the signed token is their credential. */
async function requireViewToken(deps: ApiDeps, kind: 'change' | 'policy', id: string, token: string | undefined): Promise<void> {
  if (token === undefined) throw new ApiError(401, 'token-required', 'This page needs the signed link from an email or a feed, or the viewUrl of GET /policies/{id}');
  const result = checkLinkToken(await deps.linkSecret(), 'view', token, deps.now());
  if (!result.ok || result.subject !== `${kind}:${id}`) throw new ApiError(403, 'invalid-token', 'This link is not valid for this page');
}

async function changesFeed(deps: ApiDeps, input: { title: string; selfUrl: string; pageUrl: string; changes: ChangeRecord[] }): Promise<string> {
  const links = new Map(await Promise.all(input.changes.map(async (change) => [change.changeId, await viewLink(deps, 'change', change.changeId)] as const)));
  return renderChangesFeed({ ...input, changeUrl: (changeId) => links.get(changeId) ?? '', now: deps.now() });
}

function atomResponse(c: Context, xml: string) {
  return c.body(xml, 200, { 'Content-Type': 'application/atom+xml; charset=utf-8' });
}
