/**
 * The HTTP API's request and response schemas: they validate input and generate /openapi.json,
 * so the document and the checks cannot drift apart. Response schemas mirror functions/core/ports.ts.
 */
// Imported first for its side effect: it adds `.openapi()` to zod's schemas.
import '@hono/zod-openapi';
// A namespace import, which esbuild tree-shakes. `import { z }`, from 'zod' or re-exported by
// '@hono/zod-openapi', is one object that holds all of zod, every locale included (~350 KB).
import * as z from 'zod';
import { DELIVERIES } from '../core/ports.ts';
import { CATEGORIES } from '../core/types.ts';

/** Largest page the API hands out (the stores allow more; one response stays small). */
export const MAX_API_PAGE = 100;
export const DEFAULT_API_PAGE = 20;

export const ErrorSchema = z
  .object({
    error: z.string().openapi({ example: 'not-found' }),
    message: z.string().openapi({ example: 'No policy "acme-privacy"' }),
  })
  .openapi('Error');

export const PolicyIdSchema = z
  .string()
  .regex(/^[a-z0-9](?:[a-z0-9-]{0,62}[a-z0-9])?$/, 'lowercase letters, digits and inner hyphens, at most 64 characters')
  .openapi({ example: 'imou-privacy' });

export const SnapshotIdSchema = z.string().regex(/^[0-9a-f]{64}$/, 'a lowercase hex sha256').openapi({ description: 'sha256 of the raw body' });

export const PolicyParams = z.object({ id: PolicyIdSchema.openapi({ param: { name: 'id', in: 'path' } }) });
export const SnapshotParams = PolicyParams.extend({ snapshotId: SnapshotIdSchema.openapi({ param: { name: 'snapshotId', in: 'path' } }) });
export const ChangeParams = z.object({ changeId: z.string().regex(/^[0-9a-f]{24}$/).openapi({ param: { name: 'changeId', in: 'path' } }) });

export const PageQuery = z.object({
  cursor: z.string().min(1).max(2000).optional().openapi({ description: 'The `cursor` of the previous page' }),
  limit: z.coerce.number().int().min(1).max(MAX_API_PAGE).default(DEFAULT_API_PAGE),
});

export const SnapshotQuery = z.object({
  format: z.enum(['normalized', 'raw']).default('normalized').openapi({ description: '`raw`: the body as fetched, served as text/plain' }),
});

const FormatSchema = z.enum(['html', 'markdown', 'text']);
const CategorySchema = z.enum(CATEGORIES);

export const NewPolicySchema = z
  .object({
    policyId: PolicyIdSchema.optional().openapi({ description: 'Defaults to a slug of the name' }),
    // The name goes into email subjects: no CR/LF (header injection) or other control characters.
    name: z.string().trim().min(1).max(200).regex(/^[^\u0000-\u001f\u007f]*$/, 'no control characters (CR, LF, tab, NUL…)'),
    url: z.url({ protocol: /^https?$/ }).max(2000),
    format: FormatSchema.optional().openapi({ description: 'Sniffed from the content type and body when absent' }),
    select: z.string().min(1).max(500).optional().openapi({ description: 'CSS selector of the policy on an HTML page' }),
    ignoreRobots: z.boolean().optional().openapi({ description: 'Fetch although robots.txt disallows it (only with the site owner\'s agreement)' }),
    intervalHours: z.number().positive().max(24 * 31).default(12).openapi({ description: 'Hours between checks' }),
  })
  .openapi('NewPolicy');

export const BaselineApprovalSchema = z
  .object({
    snapshotId: z.string(),
    previousSnapshotId: z.string().optional(),
    approvedBy: z.string(),
    approvedAt: z.string(),
    reason: z.string(),
    apiKeyId: z.string().optional().openapi({ description: 'The API Gateway key the request came with, when known' }),
  })
  .openapi('BaselineApproval');

export const PolicySchema = z
  .object({
    policyId: z.string(),
    name: z.string(),
    url: z.string(),
    format: FormatSchema.optional(),
    select: z.string().optional(),
    ignoreRobots: z.boolean().optional(),
    intervalHours: z.number(),
    createdAt: z.string(),
    baselineSnapshotId: z.string().optional(),
    baselineApproval: BaselineApprovalSchema.optional(),
    baselineApprovals: z.array(BaselineApprovalSchema).optional().openapi({ description: 'Every approval, oldest first: the audit trail' }),
    lastSnapshotId: z.string().optional(),
    lastCheckedAt: z.string().optional(),
    etag: z.string().optional(),
    lastModified: z.string().optional(),
    consecutiveFailures: z.number(),
    status: z.enum(['ok', 'failing', 'broken']),
    failingSince: z.string().optional().openapi({ description: 'Start of the current run of failed checks' }),
    retryAfter: z.string().optional().openapi({ description: "No check before this time (the server's Retry-After)" }),
    lastFailure: z
      .object({ at: z.string(), reason: z.string(), detail: z.string(), scheduledAt: z.string().optional() })
      .optional()
      .openapi({ description: 'The latest fetch failure (kept after recovery); every failed check is also in /policies/{id}/checks' }),
    viewUrl: z.string().optional().openapi({ description: 'Signed link to the policy\'s diff page (GET /policies/{id} only)' }),
  })
  .openapi('Policy');

export const SnapshotSchema = z
  .object({
    policyId: z.string(),
    snapshotId: z.string(),
    fetchedAt: z.string(),
    contentType: z.string(),
    bytes: z.number(),
    title: z.string(),
    effectiveDate: z.string().nullable(),
    rawKey: z.string(),
    normalizedKey: z.string(),
  })
  .openapi('Snapshot');

const SectionSchema = z
  .object({
    id: z.string(),
    path: z.array(z.string()),
    heading: z.string(),
    level: z.number(),
    text: z.string(),
    hash: z.string(),
    untitled: z.boolean().optional(),
  })
  .openapi('Section');

export const NormalizedSnapshotSchema = z
  .object({
    snapshot: SnapshotSchema,
    title: z.string(),
    effectiveDate: z.string().nullable(),
    /** Headings and text of every section, in reading order. */
    text: z.string(),
    sections: z.array(SectionSchema),
  })
  .openapi('NormalizedSnapshot');

export const CheckSchema = z
  .object({
    policyId: z.string(),
    checkedAt: z.string(),
    outcome: z.enum(['baseline', 'unchanged', 'changed', 'cosmetic', 'failed']),
    snapshotId: z.string().optional(),
    reason: z.string().optional(),
    materialChanges: z.number().optional(),
    notes: z.array(z.string()).optional(),
  })
  .openapi('Check');

const ObligationSchema = z.record(z.string(), z.unknown()).openapi('Obligation', { description: 'A typed fact of the clause, e.g. { type: "retention-period", before: "P30D", after: "P1Y" }' });

export const ChangeSchema = z
  .object({
    changeId: z.string(),
    policyId: z.string(),
    policyName: z.string(),
    snapshotId: z.string(),
    baselineSnapshotId: z.string(),
    detectedAt: z.string(),
    sectionId: z.string(),
    sectionPath: z.array(z.string()),
    previousPath: z.array(z.string()).optional(),
    kind: z.enum(['added', 'removed', 'modified', 'moved', 'renamed']),
    categories: z.array(CategorySchema),
    material: z.boolean(),
    severity: z.enum(['none', 'low', 'medium', 'high']),
    before: z.string().nullable().openapi({ description: 'The changed clauses in the baseline' }),
    after: z.string().nullable().openapi({ description: 'The changed clauses now' }),
    obligations: z.array(ObligationSchema),
    cosmetic: z.string().optional(),
    diff: z.array(z.object({ value: z.string(), added: z.boolean().optional(), removed: z.boolean().optional() })).optional(),
  })
  .openapi('Change');

const DeliverySchema = z.enum(DELIVERIES).openapi({ description: '`each`: one email per change; `daily`: one digest a day (07:00 UTC) of the last 24 hours\' changes' });

export const NewSubscriptionSchema = z
  .object({
    email: z.email().max(254),
    policies: z.union([z.literal('all'), z.array(PolicyIdSchema).min(1).max(100)]),
    categories: z.union([z.literal('material'), z.array(CategorySchema).min(1)]).default('material'),
    delivery: DeliverySchema.default('each'),
  })
  .openapi('NewSubscription');

export const SubscriptionSchema = z
  .object({
    subscriptionId: z.string(),
    email: z.string(),
    policies: z.union([z.literal('all'), z.array(z.string())]),
    categories: z.union([z.literal('material'), z.array(CategorySchema)]),
    confirmed: z.boolean().openapi({ description: 'False until the address follows the link in the confirmation email' }),
    createdAt: z.string(),
    confirmedAt: z.string().optional(),
    suppressed: z.object({ reason: z.enum(['bounce', 'complaint']), at: z.string() }).optional(),
    delivery: DeliverySchema.optional().openapi({ description: 'Absent on subscriptions made before digests existed, which get one email per change' }),
  })
  .openapi('Subscription');

/** The diff pages: their signed token, and the timeline's page. */
export const ViewQuery = z.object({
  token: z.string().min(1).max(1000).optional().openapi({ description: 'HMAC-signed view token from an email, a feed or `viewUrl`' }),
  cursor: z.string().min(1).max(2000).optional().openapi({ description: 'Timeline page (policy view only)' }),
});

/** The signed token of a link in an email. */
export const TokenQuery = z.object({
  token: z.string().min(1).max(1000).openapi({ description: 'HMAC-signed token from the link in the email' }),
});

export const UnsubscribeResultSchema = z
  .object({ unsubscribed: z.boolean(), message: z.string() })
  .openapi('UnsubscribeResult');

export const BaselineApprovalRequestSchema = z
  .object({
    snapshotId: SnapshotIdSchema,
    approvedBy: z.string().trim().min(1).max(200).openapi({ example: 'dpo@example.org' }),
    reason: z.string().trim().min(1).max(2000).openapi({ example: 'Reviewed the new retention terms with legal' }),
  })
  .openapi('BaselineApprovalRequest');

export const AsOfQuery = z.object({
  date: z
    .union([z.iso.date(), z.iso.datetime({ offset: true })])
    .openapi({ description: 'A day (YYYY-MM-DD, meaning its end, UTC) or an ISO date-time', example: '2024-05-01' }),
});

export function pageOf<T extends z.ZodType>(item: T, name: string) {
  return z
    .object({ items: z.array(item), cursor: z.string().optional().openapi({ description: 'Absent on the last page' }) })
    .openapi(name);
}
