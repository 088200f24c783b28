/**
 * The HTTP API (DESIGN.md §3) as a Hono app with OpenAPI routes: every request is validated by
 * the zod schemas in api-schemas.ts, which also produce GET /openapi.json. Errors are JSON
 * `{ error, message }` and never carry a stack trace. I/O goes through the ports only, so the
 * same app runs in Lambda (functions/handlers/api.ts), in `npm start` and in tests.
 */
import { OpenAPIHono } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { ZodError } from 'zod';
import type { PolicyRecord, SnapshotRecord } from '../core/ports.ts';
import { slugify } from '../core/text.ts';
import { InvalidCursorError, RecordNotFoundError, StoreInputError } from '../adapters/store-errors.ts';
import { ApiError, requirePolicy, viewLink, type ApiDeps } from './api-common.ts';
import {
  approveBaselineRoute,
  createPolicy,
  deletePolicy,
  getChange,
  getPolicy,
  getSnapshot,
  listChanges,
  listChecks,
  listPolicies,
  listSnapshots,
  policyAsOf,
} from './api-routes.ts';
import { PolicyIdSchema } from './api-schemas.ts';
import { addSubscriptionRoutes } from './api-subscriptions.ts';
import { addViewRoutes } from './api-views.ts';
import { approveBaseline, snapshotAsOf } from './baseline.ts';

export { ApiError, type ApiDeps } from './api-common.ts';
export { CONFIRMATION_TTL_MS } from './api-subscriptions.ts';

/** Request bodies are small JSON documents; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

export function createApp(deps: ApiDeps): OpenAPIHono {
  const app = new OpenAPIHono({
    defaultHook: (result) => {
      if (result.success) return;
      // A JSON body that parses but does not fit is unprocessable; a bad path or query is a bad request.
      const status = result.target === 'json' ? 422 : 400;
      throw new ApiError(status, status === 422 ? 'invalid-body' : 'bad-request', describeIssues(result.target, result.error));
    },
  });

  app.use(
    '*',
    bodyLimit({
      maxSize: MAX_BODY_BYTES,
      onError: () => {
        throw new ApiError(413, 'body-too-large', `The request body exceeds ${MAX_BODY_BYTES} bytes`);
      },
    }),
  );

  app.openapi(listPolicies, async (c) => {
    const { cursor, limit } = c.req.valid('query');
    return c.json(await deps.store.listPolicies(cursor, limit), 200);
  });

  app.openapi(createPolicy, async (c) => {
    const input = c.req.valid('json');
    const policyId = input.policyId ?? slugify(input.name);
    if (!PolicyIdSchema.safeParse(policyId).success) {
      throw new ApiError(422, 'invalid-body', `body.policyId: the name gives no usable id ("${policyId}"); pass a policyId`);
    }
    // Read-then-write: two simultaneous registrations of one id may both succeed, the last one winning.
    if ((await deps.store.getPolicy(policyId)) !== undefined) throw new ApiError(409, 'conflict', `A policy "${policyId}" exists already`);
    const policy: PolicyRecord = {
      policyId,
      name: input.name,
      url: input.url,
      ...(input.format ? { format: input.format } : {}),
      ...(input.select ? { select: input.select } : {}),
      ...(input.ignoreRobots ? { ignoreRobots: true } : {}),
      intervalHours: input.intervalHours,
      createdAt: deps.now().toISOString(),
      consecutiveFailures: 0,
      status: 'ok',
    };
    await deps.store.putPolicy(policy);
    c.header('Location', `/policies/${policyId}`);
    return c.json(policy, 201);
  });

  app.openapi(getPolicy, async (c) => {
    const policy = await requirePolicy(deps, c.req.valid('param').id);
    return c.json({ ...policy, viewUrl: await viewLink(deps, 'policy', policy.policyId) }, 200);
  });

  app.openapi(deletePolicy, async (c) => {
    const { id } = c.req.valid('param');
    await requirePolicy(deps, id);
    await deps.store.deletePolicy(id);
    return c.body(null, 204);
  });

  app.openapi(listSnapshots, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    await requirePolicy(deps, id);
    return c.json(await deps.store.listSnapshots(id, cursor, limit), 200);
  });

  app.openapi(getSnapshot, async (c) => {
    const { id, snapshotId } = c.req.valid('param');
    const snapshot = await deps.store.getSnapshot(id, snapshotId);
    if (snapshot === undefined) throw new ApiError(404, 'not-found', `Policy "${id}" has no snapshot ${snapshotId}`);
    if (c.req.valid('query').format === 'raw') {
      const raw = await deps.snapshots.getRaw(id, snapshotId);
      if (raw === undefined) throw new ApiError(404, 'not-found', `The raw body of snapshot ${snapshotId} is not in storage`);
      // Third-party markup: served as text, never rendered under the API's origin (stored XSS).
      c.header('X-Snapshot-Content-Type', raw.contentType);
      c.header('X-Content-Type-Options', 'nosniff');
      return c.text(new TextDecoder().decode(raw.body), 200);
    }
    return c.json(await normalizedView(deps, snapshot), 200);
  });

  app.openapi(listChanges, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    await requirePolicy(deps, id);
    return c.json(await deps.store.listChanges(id, cursor, limit), 200);
  });

  app.openapi(getChange, async (c) => {
    const { changeId } = c.req.valid('param');
    const change = await deps.store.getChange(changeId);
    if (change === undefined) throw new ApiError(404, 'not-found', `No change ${changeId}`);
    return c.json(change, 200);
  });

  app.openapi(listChecks, async (c) => {
    const { id } = c.req.valid('param');
    const { cursor, limit } = c.req.valid('query');
    await requirePolicy(deps, id);
    return c.json(await deps.store.listChecks(id, cursor, limit), 200);
  });

  addSubscriptionRoutes(app, deps);
  addViewRoutes(app, deps);

  app.openapi(policyAsOf, async (c) => {
    const { id } = c.req.valid('param');
    const { date } = c.req.valid('query');
    await requirePolicy(deps, id);
    // A bare day means "on that day": the version in force at its end (UTC).
    const at = new Date(date.length === 10 ? `${date}T23:59:59.999Z` : date);
    const snapshot = await snapshotAsOf(deps.store, id, at);
    if (snapshot === undefined) throw new ApiError(404, 'not-found', `Policy "${id}" has no snapshot from ${date} or earlier`);
    return c.json(await normalizedView(deps, snapshot), 200);
  });

  app.openapi(approveBaselineRoute, async (c) => {
    const { id } = c.req.valid('param');
    const body = c.req.valid('json');
    const apiKeyId = apiKeyIdOf(c);
    const outcome = await approveBaseline(id, { ...body, ...(apiKeyId ? { apiKeyId } : {}) }, deps);
    if (outcome.status === 'approved') return c.json(outcome.policy, 200);
    if (outcome.status === 'already-baseline') throw new ApiError(409, 'conflict', `Snapshot ${body.snapshotId} is the baseline already`);
    throw new ApiError(404, 'not-found', outcome.status === 'no-policy' ? `No policy "${id}"` : `Policy "${id}" has no snapshot ${body.snapshotId}`);
  });

  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'Policy monitor API', version: '0.1.0', description: 'Tracked privacy policies, their snapshots, checks and material changes.' },
    security: [{ apiKey: [] }],
  });
  // API Gateway checks the key (header x-api-key) before the function runs; email links are exempt.
  app.openAPIRegistry.registerComponent('securitySchemes', 'apiKey', { type: 'apiKey', in: 'header', name: 'x-api-key' });

  app.notFound((c) => c.json({ error: 'not-found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => errorResponse(c, error, deps));
  return app;
}

async function normalizedView(deps: ApiDeps, snapshot: SnapshotRecord) {
  const { policyId, snapshotId } = snapshot;
  const normalized = await deps.snapshots.getNormalized(policyId, snapshotId);
  if (normalized === undefined) throw new ApiError(404, 'not-found', `The normalized form of snapshot ${snapshotId} is not in storage`);
  return {
    snapshot,
    title: normalized.document.title,
    effectiveDate: normalized.document.effectiveDate ?? null,
    text: normalized.sections.map((section) => `${section.path.join(' › ')}\n\n${section.text}`).join('\n\n'),
    sections: normalized.sections,
  };
}

/** The API key id API Gateway puts in the Lambda event (hono/aws-lambda passes it as env.event). */
function apiKeyIdOf(c: Context): string | undefined {
  const event = (c.env as { event?: { requestContext?: { identity?: { apiKeyId?: unknown } } } } | undefined)?.event;
  const id = event?.requestContext?.identity?.apiKeyId;
  return typeof id === 'string' && id !== '' ? id : undefined;
}

function errorResponse(c: Context, error: Error, deps: ApiDeps): Response {
  if (error instanceof ApiError) return c.json({ error: error.code, message: error.message }, error.status);
  if (error instanceof InvalidCursorError || error instanceof StoreInputError) return c.json({ error: 'bad-request', message: error.message }, 400);
  if (error instanceof RecordNotFoundError) return c.json({ error: 'not-found', message: error.message }, 404);
  if (error instanceof HTTPException) {
    // Hono's own: e.g. "Malformed JSON in request body" (400).
    const status = error.status as ContentfulStatusCode;
    return c.json({ error: status === 400 ? 'bad-request' : 'http-error', message: error.message || 'Request failed' }, status);
  }
  deps.logError?.('Unhandled API error', error);
  return c.json({ error: 'internal', message: 'Internal error' }, 500);
}

function describeIssues(target: string, error: ZodError): string {
  const where = target === 'json' ? 'body' : target;
  return error.issues
    .slice(0, 5)
    .map((issue) => `${where}${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`)
    .join('; ');
}
