import { describe, expect, it } from 'vitest';
import { MAX_BODY_BYTES } from '../../functions/app/api.ts';
import type { SnapshotRecord } from '../../functions/core/ports.ts';
import { apiHarness as setup, POLICY, storeSnapshot } from './api-harness.ts';

describe('policies', () => {
  it('registers a policy, then refuses the same id with 409', async () => {
    const { call } = setup();
    const created = await call('POST', '/policies', { name: 'Acme Privacy Policy', url: 'https://acme.example/privacy' });
    const again = await call('POST', '/policies', { name: 'Acme Privacy Policy', url: 'https://acme.example/privacy' });
    expect(created.status).toBe(201);
    expect(await created.json()).toMatchObject({ policyId: 'acme-privacy-policy', intervalHours: 12, consecutiveFailures: 0, status: 'ok' });
    expect(again.status).toBe(409);
    expect(await again.json()).toMatchObject({ error: 'conflict' });
  });

  it('answers 422 for a body that is JSON but not a policy, naming the field', async () => {
    const { call } = setup();
    const response = await call('POST', '/policies', { name: 'Acme', url: 'ftp://acme.example/privacy' });
    expect(response.status).toBe(422);
    const body = (await response.json()) as { error: string; message: string };
    expect(body.error).toBe('invalid-body');
    expect(body.message).toContain('body.url');
  });

  it('answers 400 for malformed JSON and 413 for an oversized body, as JSON without a stack', async () => {
    const { call } = setup();
    const malformed = await call('POST', '/policies', '{"name": ');
    const oversized = await call('POST', '/policies', JSON.stringify({ name: 'x'.repeat(MAX_BODY_BYTES), url: 'https://a.example' }));
    expect(malformed.status).toBe(400);
    expect(await malformed.json()).toEqual({ error: 'bad-request', message: expect.any(String) });
    expect(oversized.status).toBe(413);
    expect(JSON.stringify(await oversized.json())).not.toMatch(/at .*\.ts/);
  });

  it('answers 404 as JSON for an unknown policy and an unknown route', async () => {
    const { call } = setup();
    const policy = await call('GET', '/policies/nope');
    const route = await call('GET', '/nowhere');
    expect(policy.status).toBe(404);
    expect(await policy.json()).toEqual({ error: 'not-found', message: 'No policy "nope"' });
    expect(route.status).toBe(404);
    expect(await route.json()).toMatchObject({ error: 'not-found' });
  });

  it('deletes a policy', async () => {
    const { store, call } = setup();
    await store.putPolicy(POLICY);
    expect((await call('DELETE', '/policies/acme-privacy')).status).toBe(204);
    expect((await call('GET', '/policies/acme-privacy')).status).toBe(404);
  });
});

describe('snapshots', () => {
  it('pages through snapshots, newest first', async () => {
    // Prepare
    const { store, snapshots, call } = setup();
    await store.putPolicy(POLICY);
    for (let i = 1; i <= 3; i++) {
      await storeSnapshot(store, snapshots, `<html><body><main><h1>Acme</h1><h2>Data</h2><p>Version ${i} of the policy text.</p></main></body></html>`, `2024-05-0${i}T00:00:00.000Z`);
    }
    // Act
    const first = (await (await call('GET', '/policies/acme-privacy/snapshots?limit=2')).json()) as { items: SnapshotRecord[]; cursor?: string };
    const second = (await (await call('GET', `/policies/acme-privacy/snapshots?limit=2&cursor=${first.cursor}`)).json()) as { items: SnapshotRecord[]; cursor?: string };
    // Assess
    expect(first.items.map((s) => s.fetchedAt)).toEqual(['2024-05-03T00:00:00.000Z', '2024-05-02T00:00:00.000Z']);
    expect(second.items.map((s) => s.fetchedAt)).toEqual(['2024-05-01T00:00:00.000Z']);
    expect(second.cursor).toBeUndefined();
  });

  it('answers 400 for a cursor it did not issue and for a limit out of range', async () => {
    const { store, call } = setup();
    await store.putPolicy(POLICY);
    expect((await call('GET', '/policies/acme-privacy/snapshots?cursor=bogus')).status).toBe(400);
    expect((await call('GET', '/policies/acme-privacy/snapshots?limit=0')).status).toBe(400);
  });

  it('returns the normalized sections, and the raw body as text on ?format=raw', async () => {
    const { store, snapshots, call } = setup();
    await store.putPolicy(POLICY);
    const html = '<html><body><main><h1>Acme</h1><h2>Data retention</h2><p>We keep data for 30 days.</p></main><script>alert(1)</script></body></html>';
    const { snapshotId } = await storeSnapshot(store, snapshots, html, '2024-05-01T00:00:00.000Z');
    const normalized = await call('GET', `/policies/acme-privacy/snapshots/${snapshotId}`);
    const raw = await call('GET', `/policies/acme-privacy/snapshots/${snapshotId}?format=raw`);
    expect(normalized.status).toBe(200);
    expect(await normalized.json()).toMatchObject({ title: 'Acme', sections: [expect.objectContaining({ heading: 'Data retention', text: 'We keep data for 30 days.' })] });
    expect(raw.headers.get('content-type')).toMatch(/^text\/plain/);
    expect(raw.headers.get('x-snapshot-content-type')).toBe('text/html; charset=utf-8');
    expect(await raw.text()).toBe(html);
  });
});

describe('subscriptions', () => {
  it('stores a subscription unconfirmed', async () => {
    const { store, call } = setup();
    await store.putPolicy(POLICY);
    const response = await call('POST', '/subscriptions', { email: 'me@example.org', policies: ['acme-privacy'], categories: ['retention'] });
    expect(response.status).toBe(201);
    expect(await store.getSubscription('sub-1')).toMatchObject({ email: 'me@example.org', confirmed: false, categories: ['retention'] });
  });

  it('answers 422 for unknown policies and categories', async () => {
    const { call } = setup();
    expect((await call('POST', '/subscriptions', { email: 'me@example.org', policies: ['nope'] })).status).toBe(422);
    expect((await call('POST', '/subscriptions', { email: 'me@example.org', policies: 'all', categories: ['weather'] })).status).toBe(422);
  });
});

describe('openapi', () => {
  it('documents every route the router serves, with its method', async () => {
    // Prepare
    const { app, call } = setup();
    const served = app.routes
      .filter((route) => route.method !== 'ALL' && route.path !== '/openapi.json')
      .map((route) => `${route.method.toLowerCase()} ${route.path.replace(/:(\w+)/g, '{$1}')}`);
    // Act
    const document = (await (await call('GET', '/openapi.json')).json()) as { openapi: string; paths: Record<string, Record<string, unknown>> };
    // Assess
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(document.openapi).toMatch(/^3\./);
    expect(served.length).toBeGreaterThan(10);
    expect([...new Set(served)].sort()).toEqual(documented.sort());
  });

  it('documents every route of DESIGN.md §3', async () => {
    const { call } = setup();
    const document = (await (await call('GET', '/openapi.json')).json()) as { paths: Record<string, Record<string, unknown>> };
    const design = [
      'get /policies', 'post /policies', 'get /policies/{id}', 'delete /policies/{id}', 'get /policies/{id}/snapshots',
      'get /policies/{id}/snapshots/{snapshotId}', 'get /policies/{id}/changes', 'get /changes/{changeId}', 'get /policies/{id}/as-of',
      'post /policies/{id}/baseline', 'post /subscriptions', 'get /subscriptions/confirm', 'get /unsubscribe', 'post /unsubscribe', 'get /feed.atom',
    ];
    const documented = Object.entries(document.paths).flatMap(([path, methods]) => Object.keys(methods).map((method) => `${method} ${path}`));
    expect(design.filter((route) => !documented.includes(route))).toEqual([]);
  });
});

describe('openapi security', () => {
  it('asks for the API key everywhere except on the links opened from emails and feeds', async () => {
    const { call } = setup();
    const document = (await (await call('GET', '/openapi.json')).json()) as {
      security: unknown;
      components: { securitySchemes: Record<string, unknown> };
      paths: Record<string, Record<string, { security?: unknown[] }>>;
    };
    const publicRoutes = Object.entries(document.paths)
      .flatMap(([path, methods]) => Object.entries(methods).map(([method, operation]) => [`${method} ${path}`, operation.security] as const))
      .filter(([, security]) => Array.isArray(security) && security.length === 0)
      .map(([route]) => route)
      .sort();
    expect(document.security).toEqual([{ apiKey: [] }]);
    expect(document.components.securitySchemes.apiKey).toEqual({ type: 'apiKey', in: 'header', name: 'x-api-key' });
    expect(publicRoutes).toEqual(['get /changes/{changeId}/view', 'get /policies/{id}/view', 'get /subscriptions/confirm', 'get /unsubscribe', 'post /unsubscribe']);
  });
});

describe('policy ids', () => {
  it('asks for a policyId when the name gives no usable one', async () => {
    const { call } = setup();
    const response = await call('POST', '/policies', { name: '隐私政策', url: 'https://example.cn/privacy' });
    expect(response.status).toBe(422);
    expect(await response.json()).toMatchObject({ error: 'invalid-body', message: expect.stringContaining('policyId') });
  });
});
