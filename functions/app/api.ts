/**
 * The HTTP API (DESIGN.md §3) as a Hono app with OpenAPI routes: every request is validated by
 * the zod schemas in api-schemas.ts, which also produce GET /openapi.json. Errors are JSON
 * `{ error, message }` and never carry a stack trace. I/O goes through the ports only, so the
 * same app runs in Lambda (functions/handlers/api.ts), in `npm start` and in tests.
 */
import { OpenAPIHono, createRoute, z } from '@hono/zod-openapi';
import type { Context } from 'hono';
import { bodyLimit } from 'hono/body-limit';
import { HTTPException } from 'hono/http-exception';
import type { ContentfulStatusCode } from 'hono/utils/http-status';
import type { PolicyRecord, PolicyStore, SnapshotStore, SubscriptionRecord } from '../core/ports.ts';
import { slugify } from '../core/text.ts';
import { InvalidCursorError, RecordNotFoundError, StoreInputError } from '../adapters/store-errors.ts';
import {
  ChangeParams,
  ChangeSchema,
  CheckSchema,
  ErrorSchema,
  NewPolicySchema,
  NewSubscriptionSchema,
  NormalizedSnapshotSchema,
  PageQuery,
  PolicyIdSchema,
  PolicyParams,
  PolicySchema,
  SnapshotParams,
  SnapshotQuery,
  SnapshotSchema,
  SubscriptionSchema,
  pageOf,
} from './api-schemas.ts';

/** Request bodies are small JSON documents; anything bigger is a mistake or an attack. */
export const MAX_BODY_BYTES = 64 * 1024;

export interface ApiDeps {
  store: PolicyStore;
  snapshots: SnapshotStore;
  now: () => Date;
  /** Ids of new subscriptions, e.g. crypto.randomUUID. */
  newId: () => string;
  /** Where unexpected errors go (their details never reach the client). */
  logError?: (message: string, error: unknown) => void;
}

/** An error with its HTTP status and a stable machine-readable code. */
export class ApiError extends Error {
  override readonly name = 'ApiError';

  constructor(
    readonly status: ContentfulStatusCode,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = {
  400: json(ErrorSchema, 'Invalid path, query or JSON'),
  404: json(ErrorSchema, 'Not found'),
};

const listPolicies = createRoute({
  method: 'get',
  path: '/policies',
  tags: ['policies'],
  request: { query: PageQuery },
  responses: { 200: json(pageOf(PolicySchema, 'PolicyPage'), 'Tracked policies'), 400: errors[400] },
});

const createPolicy = createRoute({
  method: 'post',
  path: '/policies',
  tags: ['policies'],
  request: { body: { content: { 'application/json': { schema: NewPolicySchema } }, required: true } },
  responses: {
    201: json(PolicySchema, 'The policy, tracked from now on; the first check makes its baseline'),
    400: errors[400],
    409: json(ErrorSchema, 'A policy with this id exists'),
    413: json(ErrorSchema, 'Body too large'),
    422: json(ErrorSchema, 'The body is JSON but not a valid policy'),
  },
});

const getPolicy = createRoute({
  method: 'get',
  path: '/policies/{id}',
  tags: ['policies'],
  request: { params: PolicyParams },
  responses: { 200: json(PolicySchema, 'The policy and its check state'), ...errors },
});

const deletePolicy = createRoute({
  method: 'delete',
  path: '/policies/{id}',
  tags: ['policies'],
  request: { params: PolicyParams },
  responses: { 204: { description: 'No longer tracked; its snapshots, checks and changes stay as the audit trail' }, ...errors },
});

const listSnapshots = createRoute({
  method: 'get',
  path: '/policies/{id}/snapshots',
  tags: ['snapshots'],
  request: { params: PolicyParams, query: PageQuery },
  responses: { 200: json(pageOf(SnapshotSchema, 'SnapshotPage'), 'Distinct versions, newest first'), ...errors },
});

const getSnapshot = createRoute({
  method: 'get',
  path: '/policies/{id}/snapshots/{snapshotId}',
  tags: ['snapshots'],
  request: { params: SnapshotParams, query: SnapshotQuery },
  responses: {
    200: {
      content: {
        'application/json': { schema: NormalizedSnapshotSchema },
        'text/plain': { schema: z.string().openapi({ description: 'With ?format=raw: the body as fetched (content type in X-Snapshot-Content-Type)' }) },
      },
      description: 'The normalized version (sections), or with ?format=raw the raw body',
    },
    ...errors,
  },
});

const listChanges = createRoute({
  method: 'get',
  path: '/policies/{id}/changes',
  tags: ['changes'],
  request: { params: PolicyParams, query: PageQuery },
  responses: { 200: json(pageOf(ChangeSchema, 'ChangePage'), 'Material changes, newest first'), ...errors },
});

const getChange = createRoute({
  method: 'get',
  path: '/changes/{changeId}',
  tags: ['changes'],
  request: { params: ChangeParams },
  responses: { 200: json(ChangeSchema, 'One change: clause before and after, categories, obligations'), ...errors },
});

const listChecks = createRoute({
  method: 'get',
  path: '/policies/{id}/checks',
  tags: ['policies'],
  request: { params: PolicyParams, query: PageQuery },
  responses: { 200: json(pageOf(CheckSchema, 'CheckPage'), 'Every check and its outcome, newest first'), ...errors },
});

const createSubscription = createRoute({
  method: 'post',
  path: '/subscriptions',
  tags: ['subscriptions'],
  request: { body: { content: { 'application/json': { schema: NewSubscriptionSchema } }, required: true } },
  responses: {
    201: json(SubscriptionSchema, 'Stored unconfirmed: no email is sent to it until it is confirmed'),
    400: errors[400],
    413: json(ErrorSchema, 'Body too large'),
    422: json(ErrorSchema, 'The body is JSON but not a valid subscription, or names unknown policies'),
  },
});

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

  app.openapi(getPolicy, async (c) => c.json(await requirePolicy(deps, c.req.valid('param').id), 200));

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
    const normalized = await deps.snapshots.getNormalized(id, snapshotId);
    if (normalized === undefined) throw new ApiError(404, 'not-found', `The normalized form of snapshot ${snapshotId} is not in storage`);
    return c.json(
      {
        snapshot,
        title: normalized.document.title,
        effectiveDate: normalized.document.effectiveDate ?? null,
        text: normalized.sections.map((section) => `${section.path.join(' › ')}\n\n${section.text}`).join('\n\n'),
        sections: normalized.sections,
      },
      200,
    );
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

  app.openapi(createSubscription, async (c) => {
    const input = c.req.valid('json');
    if (input.policies !== 'all') {
      const found = await Promise.all(input.policies.map((policyId) => deps.store.getPolicy(policyId)));
      const unknown = input.policies.filter((_, index) => found[index] === undefined);
      if (unknown.length > 0) throw new ApiError(422, 'unknown-policy', `No such policies: ${unknown.join(', ')}`);
    }
    const subscription: SubscriptionRecord = {
      subscriptionId: deps.newId(),
      email: input.email,
      policies: input.policies,
      categories: input.categories,
      confirmed: false,
      createdAt: deps.now().toISOString(),
    };
    await deps.store.putSubscription(subscription);
    return c.json(subscription, 201);
  });

  app.doc('/openapi.json', {
    openapi: '3.0.3',
    info: { title: 'Policy monitor API', version: '0.1.0', description: 'Tracked privacy policies, their snapshots, checks and material changes.' },
  });

  app.notFound((c) => c.json({ error: 'not-found', message: `No route for ${c.req.method} ${c.req.path}` }, 404));
  app.onError((error, c) => errorResponse(c, error, deps));
  return app;
}

async function requirePolicy(deps: ApiDeps, policyId: string): Promise<PolicyRecord> {
  const policy = await deps.store.getPolicy(policyId);
  if (policy === undefined) throw new ApiError(404, 'not-found', `No policy "${policyId}"`);
  return policy;
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

function describeIssues(target: string, error: z.ZodError): string {
  const where = target === 'json' ? 'body' : target;
  return error.issues
    .slice(0, 5)
    .map((issue) => `${where}${issue.path.length > 0 ? `.${issue.path.join('.')}` : ''}: ${issue.message}`)
    .join('; ');
}
