/**
 * The API's routes as OpenAPI declarations: method, path, the zod schemas that validate the
 * request, and the documented responses. functions/app/api.ts implements them; GET
 * /openapi.json is generated from them, so the document cannot drift from the checks.
 */
import { createRoute } from '@hono/zod-openapi';
import * as z from 'zod';
import {
  AsOfQuery,
  BaselineApprovalRequestSchema,
  ChangeParams,
  ChangeSchema,
  CheckSchema,
  ErrorSchema,
  NewPolicySchema,
  NewSubscriptionSchema,
  NormalizedSnapshotSchema,
  PageQuery,
  PolicyParams,
  PolicySchema,
  SnapshotParams,
  SnapshotQuery,
  SnapshotSchema,
  SubscriptionSchema,
  TokenQuery,
  UnsubscribeResultSchema,
  ViewQuery,
  pageOf,
} from './api-schemas.ts';

const json = <T extends z.ZodType>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const errors = {
  400: json(ErrorSchema, 'Invalid path, query or JSON'),
  404: json(ErrorSchema, 'Not found'),
};
const html = (description: string) => ({ content: { 'text/html': { schema: z.string() } }, description });
const atom = (description: string) => ({ content: { 'application/atom+xml': { schema: z.string() } }, description });
/** No API key: links opened from emails and feeds, authorised by the signed token they carry. */
const PUBLIC_LINK: { [scheme: string]: string[] }[] = [];
/** Links in emails: opened in a browser (HTML) or by a program (JSON), authorised by their signed token. */
const tokenErrors = {
  400: json(ErrorSchema, 'No token'),
  403: json(ErrorSchema, 'The token is forged, for another purpose, or expired (`invalid-token`, `expired-token`)'),
};

export const listPolicies = createRoute({
  method: 'get',
  path: '/policies',
  tags: ['policies'],
  request: { query: PageQuery },
  responses: { 200: json(pageOf(PolicySchema, 'PolicyPage'), 'Tracked policies'), 400: errors[400] },
});

export const createPolicy = createRoute({
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

export const getPolicy = createRoute({
  method: 'get',
  path: '/policies/{id}',
  tags: ['policies'],
  request: { params: PolicyParams },
  responses: { 200: json(PolicySchema, 'The policy and its check state'), ...errors },
});

export const deletePolicy = createRoute({
  method: 'delete',
  path: '/policies/{id}',
  tags: ['policies'],
  request: { params: PolicyParams },
  responses: { 204: { description: 'No longer tracked; its snapshots, checks and changes stay as the audit trail' }, ...errors },
});

export const listSnapshots = createRoute({
  method: 'get',
  path: '/policies/{id}/snapshots',
  tags: ['snapshots'],
  request: { params: PolicyParams, query: PageQuery },
  responses: { 200: json(pageOf(SnapshotSchema, 'SnapshotPage'), 'Distinct versions, newest first'), ...errors },
});

export const getSnapshot = createRoute({
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

export const listChanges = createRoute({
  method: 'get',
  path: '/policies/{id}/changes',
  tags: ['changes'],
  request: { params: PolicyParams, query: PageQuery },
  responses: { 200: json(pageOf(ChangeSchema, 'ChangePage'), 'Material changes, newest first'), ...errors },
});

export const getChange = createRoute({
  method: 'get',
  path: '/changes/{changeId}',
  tags: ['changes'],
  request: { params: ChangeParams },
  responses: { 200: json(ChangeSchema, 'One change: clause before and after, categories, obligations'), ...errors },
});

export const listChecks = createRoute({
  method: 'get',
  path: '/policies/{id}/checks',
  tags: ['policies'],
  request: { params: PolicyParams, query: PageQuery },
  responses: { 200: json(pageOf(CheckSchema, 'CheckPage'), 'Every check and its outcome, newest first'), ...errors },
});

export const createSubscription = createRoute({
  method: 'post',
  path: '/subscriptions',
  tags: ['subscriptions'],
  request: { body: { content: { 'application/json': { schema: NewSubscriptionSchema } }, required: true } },
  responses: {
    201: json(SubscriptionSchema, 'Stored unconfirmed, and a confirmation email sent: no change email goes to the address until it follows the link'),
    400: errors[400],
    409: json(ErrorSchema, 'The address bounced or complained before (`suppressed`): no mail is sent to it'),
    413: json(ErrorSchema, 'Body too large'),
    422: json(ErrorSchema, 'The body is JSON but not a valid subscription, or names unknown policies'),
    503: json(ErrorSchema, 'The confirmation email could not be sent; nothing was stored, try again'),
  },
});

export const listSubscriptions = createRoute({
  method: 'get',
  path: '/subscriptions',
  tags: ['subscriptions'],
  request: { query: PageQuery },
  responses: { 200: json(pageOf(SubscriptionSchema, 'SubscriptionPage'), 'Subscriptions, confirmed or not, by id'), 400: errors[400] },
});

export const confirmSubscription = createRoute({
  security: PUBLIC_LINK,
  method: 'get',
  path: '/subscriptions/confirm',
  tags: ['subscriptions'],
  description: 'The link in the confirmation email (double opt-in). Public: the signed token is the credential.',
  request: { query: TokenQuery },
  responses: {
    200: {
      content: { 'application/json': { schema: SubscriptionSchema }, 'text/html': { schema: z.string() } },
      description: 'Confirmed (again, if it already was); HTML when the client accepts it',
    },
    ...tokenErrors,
    404: json(ErrorSchema, 'The subscription no longer exists (unsubscribed)'),
    409: json(ErrorSchema, 'The address is suppressed (bounce or complaint)'),
  },
});

export const unsubscribePage = createRoute({
  security: PUBLIC_LINK,
  method: 'get',
  path: '/unsubscribe',
  tags: ['subscriptions'],
  description:
    'The unsubscribe link of a change email. Shows a page with one button that POSTs here; a GET alone changes nothing, because mail scanners fetch links (RFC 8058 §1).',
  request: { query: TokenQuery },
  responses: {
    200: {
      content: { 'text/html': { schema: z.string() }, 'application/json': { schema: UnsubscribeResultSchema } },
      description: 'The confirmation page (HTML), or the subscription state (JSON)',
    },
    ...tokenErrors,
  },
});

export const unsubscribe = createRoute({
  security: PUBLIC_LINK,
  method: 'post',
  path: '/unsubscribe',
  tags: ['subscriptions'],
  description: 'RFC 8058 one-click unsubscribe (body `List-Unsubscribe=One-Click`, any body accepted). Idempotent.',
  request: { query: TokenQuery },
  responses: {
    200: {
      content: { 'application/json': { schema: UnsubscribeResultSchema }, 'text/html': { schema: z.string() } },
      description: 'Unsubscribed (or already was)',
    },
    ...tokenErrors,
  },
});

export const policyAsOf = createRoute({
  method: 'get',
  path: '/policies/{id}/as-of',
  tags: ['snapshots'],
  description: 'What the policy said at a date: the snapshot the last successful check at or before it saw (a page that went back to an earlier version answers with that version).',
  request: { params: PolicyParams, query: AsOfQuery },
  responses: { 200: json(NormalizedSnapshotSchema, 'The version in force then'), ...errors },
});

export const approveBaselineRoute = createRoute({
  method: 'post',
  path: '/policies/{id}/baseline',
  tags: ['policies'],
  description: 'Accepts a snapshot as the baseline the next check diffs against, recording who, when and why.',
  request: { params: PolicyParams, body: { content: { 'application/json': { schema: BaselineApprovalRequestSchema } }, required: true } },
  responses: {
    200: json(PolicySchema, 'The policy with its new baseline and the approval appended to its audit trail'),
    ...errors,
    409: json(ErrorSchema, 'The snapshot is the baseline already'),
    413: json(ErrorSchema, 'Body too large'),
    422: json(ErrorSchema, 'The body is JSON but not a valid approval'),
  },
});

/** Pages opened in a browser from an email or a feed: the signed token in the link is the credential. */
const viewErrors = {
  400: errors[400],
  401: json(ErrorSchema, 'No token: open the link from an email, a feed, or the `viewUrl` of GET /policies/{id}'),
  403: json(ErrorSchema, 'The token is forged or for another page'),
  404: errors[404],
};

export const changeView = createRoute({
  security: PUBLIC_LINK,
  method: 'get',
  path: '/changes/{changeId}/view',
  tags: ['views'],
  description: 'The diff page of one change: obligations, then the clause before and after with changed words marked.',
  request: { params: ChangeParams, query: ViewQuery },
  responses: { 200: html('The page'), ...viewErrors },
});

export const policyView = createRoute({
  security: PUBLIC_LINK,
  method: 'get',
  path: '/policies/{id}/view',
  tags: ['views'],
  description: 'The timeline of a policy\'s material changes, newest first, with its obligations at the top.',
  request: { params: PolicyParams, query: ViewQuery },
  responses: { 200: html('The page'), ...viewErrors },
});

export const feed = createRoute({
  method: 'get',
  path: '/feed.atom',
  tags: ['feeds'],
  description: 'The newest material changes of every tracked policy.',
  responses: { 200: atom('Atom 1.0') },
});

export const policyFeed = createRoute({
  method: 'get',
  path: '/policies/{id}/feed.atom',
  tags: ['feeds'],
  request: { params: PolicyParams },
  responses: { 200: atom('Atom 1.0: the policy\'s newest material changes'), ...errors },
});
