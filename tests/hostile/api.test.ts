// Hostile requests to the HTTP API: each must be a clear 4xx JSON error `{ error, message }`,
// never a 5xx, never a stack trace, and must store nothing.
import { afterAll, describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/app/api.ts';
import { signLinkToken } from '../../functions/app/link-tokens.ts';
import { apiHarness, LINK_SECRET, POLICY } from '../app/api-harness.ts';

const NOW = new Date('2024-05-02T00:00:00.000Z');
const forged = signLinkToken('not-the-server-secret', 'unsubscribe', 'sub-1');
const expiredConfirm = signLinkToken(LINK_SECRET, 'confirm', 'sub-1', new Date(NOW.getTime() - 60_000));
const unsubscribeToken = signLinkToken(LINK_SECRET, 'unsubscribe', 'sub-1');
const otherPageView = signLinkToken(LINK_SECRET, 'view', 'policy:other-policy');
/** One character of the signature changed (mid-signature: a last base64 character may only hold padding bits). */
const tampered = (token: string): string => {
  const at = token.length - 10;
  return `${token.slice(0, at)}${token[at] === 'A' ? 'B' : 'A'}${token.slice(at + 1)}`;
};

interface ApiCase {
  name: string;
  method: string;
  path: string;
  /** A string is sent as is; anything else as JSON. */
  body?: unknown;
  headers?: Record<string, string>;
  status: number;
  error: string;
  /** A part of the message that names the problem. */
  message?: RegExp;
}

const json = { 'content-type': 'application/json' };

const CASES: ApiCase[] = [
  { name: 'malformed JSON', method: 'POST', path: '/policies', body: '{"name": "Acme", "url": ', headers: json, status: 400, error: 'bad-request', message: /JSON/i },
  { name: 'JSON that is an array', method: 'POST', path: '/policies', body: [1, 2], status: 422, error: 'invalid-body' },
  { name: 'JSON null', method: 'POST', path: '/policies', body: 'null', headers: json, status: 422, error: 'invalid-body' },
  { name: 'wrong types (name: number, url: boolean)', method: 'POST', path: '/policies', body: { name: 42, url: true }, status: 422, error: 'invalid-body', message: /body\.name/ },
  { name: 'intervalHours as a string', method: 'POST', path: '/policies', body: { name: 'Acme', url: 'https://acme.example/p', intervalHours: 'often' }, status: 422, error: 'invalid-body', message: /body\.intervalHours/ },
  { name: 'policy URL with a file: scheme', method: 'POST', path: '/policies', body: { name: 'Acme', url: 'file:///etc/passwd' }, status: 422, error: 'invalid-body', message: /body\.url/ },
  { name: 'policy URL with a javascript: scheme', method: 'POST', path: '/policies', body: { name: 'Acme', url: 'javascript:alert(1)' }, status: 422, error: 'invalid-body', message: /body\.url/ },
  { name: 'CR/LF in the policy name (goes into email subjects)', method: 'POST', path: '/policies', body: { name: 'Acme\r\nBcc: victim@example.org', url: 'https://acme.example/p' }, status: 422, error: 'invalid-body', message: /body\.name/ },
  { name: 'policy id with path traversal in the body', method: 'POST', path: '/policies', body: { policyId: '../../etc/passwd', name: 'Acme', url: 'https://acme.example/p' }, status: 422, error: 'invalid-body', message: /body\.policyId/ },
  { name: 'body over 64 KiB', method: 'POST', path: '/policies', body: { name: 'x'.repeat(MAX_BODY_BYTES), url: 'https://acme.example/p' }, status: 413, error: 'body-too-large' },
  { name: 'body over 64 KiB on a subscription', method: 'POST', path: '/subscriptions', body: { email: `${'a'.repeat(MAX_BODY_BYTES)}@example.org`, policies: 'all' }, status: 413, error: 'body-too-large' },
  { name: 'CR/LF header injection in the subscriber email', method: 'POST', path: '/subscriptions', body: { email: 'reader@example.org\r\nBcc: victim@example.org', policies: 'all' }, status: 422, error: 'invalid-body', message: /body\.email/ },
  { name: 'LF alone in the subscriber email', method: 'POST', path: '/subscriptions', body: { email: 'reader@example.org\nX-Evil: 1', policies: 'all' }, status: 422, error: 'invalid-body', message: /body\.email/ },
  { name: 'two addresses in the subscriber email', method: 'POST', path: '/subscriptions', body: { email: 'reader@example.org, victim@example.org', policies: 'all' }, status: 422, error: 'invalid-body', message: /body\.email/ },
  { name: 'subscription to an unknown policy', method: 'POST', path: '/subscriptions', body: { email: 'reader@example.org', policies: ['nope'] }, status: 422, error: 'unknown-policy', message: /nope/ },
  { name: 'subscription to an unknown category', method: 'POST', path: '/subscriptions', body: { email: 'reader@example.org', policies: 'all', categories: ['gossip'] }, status: 422, error: 'invalid-body', message: /body\.categories/ },
  { name: 'unknown policy id', method: 'GET', path: '/policies/no-such-policy', status: 404, error: 'not-found', message: /no-such-policy/ },
  { name: 'unknown policy id on its failures (checks)', method: 'GET', path: '/policies/no-such-policy/checks', status: 404, error: 'not-found' },
  { name: 'unknown change id', method: 'GET', path: '/changes/0123456789abcdef01234567', status: 404, error: 'not-found' },
  { name: 'unknown snapshot id', method: 'GET', path: `/policies/acme-privacy/snapshots/${'0'.repeat(64)}`, status: 404, error: 'not-found' },
  { name: 'encoded path traversal in a policy id', method: 'GET', path: '/policies/..%2F..%2Fetc%2Fpasswd', status: 400, error: 'bad-request', message: /param\.id/ },
  { name: 'encoded path traversal in a snapshot id', method: 'GET', path: '/policies/acme-privacy/snapshots/..%2F..%2Fraw%2Fother', status: 400, error: 'bad-request', message: /param\.snapshotId/ },
  { name: 'dot segments in the path', method: 'GET', path: '/policies/acme-privacy/../../openapi.json/../etc/passwd', status: 404, error: 'not-found' },
  { name: 'NUL byte in a policy id', method: 'GET', path: '/policies/acme%00privacy', status: 400, error: 'bad-request' },
  { name: 'policy id over 64 characters', method: 'DELETE', path: `/policies/${'a'.repeat(300)}`, status: 400, error: 'bad-request' },
  { name: 'malformed change id', method: 'GET', path: '/changes/%3Cscript%3E', status: 400, error: 'bad-request' },
  { name: 'negative page limit', method: 'GET', path: '/policies?limit=-1', status: 400, error: 'bad-request', message: /query\.limit/ },
  { name: 'page cursor it did not issue', method: 'GET', path: '/policies/acme-privacy/checks?cursor=%7B%22%24ne%22%3Anull%7D', status: 400, error: 'bad-request' },
  { name: 'method not routed', method: 'PUT', path: '/policies/acme-privacy', body: {}, status: 404, error: 'not-found' },
  // Signed links: forged, expired, used for another purpose or another page.
  { name: 'forged one-click unsubscribe token', method: 'POST', path: `/unsubscribe?token=${encodeURIComponent(forged)}`, status: 403, error: 'invalid-token' },
  { name: 'tampered unsubscribe token (one character changed)', method: 'POST', path: `/unsubscribe?token=${encodeURIComponent(tampered(unsubscribeToken))}`, status: 403, error: 'invalid-token' },
  { name: 'expired confirmation token', method: 'GET', path: `/subscriptions/confirm?token=${encodeURIComponent(expiredConfirm)}`, status: 403, error: 'expired-token' },
  { name: 'unsubscribe token used to confirm a subscription', method: 'GET', path: `/subscriptions/confirm?token=${encodeURIComponent(unsubscribeToken)}`, status: 403, error: 'invalid-token' },
  { name: 'diff page without its signed token', method: 'GET', path: '/policies/acme-privacy/view', status: 401, error: 'token-required' },
  { name: "diff page with another page's token", method: 'GET', path: `/policies/acme-privacy/view?token=${encodeURIComponent(otherPageView)}`, status: 403, error: 'invalid-token' },
];

const rows: string[] = [];
afterAll(() => {
  console.log([`Hostile API cases: ${rows.length} run`, '| case | request | status | error |', '|---|---|---|---|', ...rows].join('\n'));
});

describe('hostile API requests: a 4xx JSON error, never a 5xx', () => {
  for (const hostile of CASES) {
    it(`${hostile.name} → ${hostile.status} ${hostile.error}`, async () => {
      // Prepare
      const { store, call, errors: logged } = apiHarness({ now: NOW.toISOString() });
      await store.putPolicy(POLICY);
      // Act
      const response = await call(hostile.method, hostile.path, hostile.body, hostile.headers);
      const text = await response.text();
      rows.push(`| ${hostile.name} | ${hostile.method} ${hostile.path.length > 60 ? `${hostile.path.slice(0, 57)}...` : hostile.path} | ${response.status} | ${text.startsWith('{') ? (JSON.parse(text) as { error: string }).error : '(not JSON)'} |`);
      // Assess
      expect(response.status).toBe(hostile.status);
      expect(response.headers.get('content-type')).toMatch(/^application\/json/);
      const payload = JSON.parse(text) as { error: string; message: string };
      expect(Object.keys(payload).sort()).toEqual(['error', 'message']);
      expect(payload.error).toBe(hostile.error);
      if (hostile.message) expect(payload.message).toMatch(hostile.message);
      expect(text).not.toMatch(/\.ts:\d+|node_modules|at [\w.]+ \(/);
      expect(logged).toEqual([]);
      // Nothing stored: the one policy, no subscriptions.
      expect((await store.listPolicies()).items.map((policy) => policy.policyId)).toEqual(['acme-privacy']);
      expect(await store.listSubscriptions()).toEqual([]);
    });
  }

  it('runs at least 25 API cases', () => {
    expect(CASES.length).toBeGreaterThanOrEqual(25);
  });
});
