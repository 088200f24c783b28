import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import * as esbuild from 'esbuild';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LAMBDA_BUILD_OPTIONS, bundleLambda, literalSchemaKeys } from '../../infra/lambda-bundle.ts';

const run = promisify(execFile);
const ROUND_TRIP_ENTRY = fileURLToPath(new URL('./fixtures/sdk-round-trip.ts', import.meta.url));

describe('literalSchemaKeys', () => {
  it('writes a computed key naming a string constant of the module as that literal', () => {
    // Prepare: the shape of the SDK's generated schema modules.
    const source = [
      'const _h = "http";',
      'const _e = "error";',
      'const _c = "client";',
      'export var SendEmail$ = [9, n0, _SE, { [_h]: ["POST", "/v2/email/outbound-emails", 200] }, () => A$, () => B$];',
      'export var MessageRejected$ = [-3, n0, _MR, { [_e]: _c,[_h]: 400 }, [_m], [0]];',
    ].join('\n');

    // Act
    const rewritten = literalSchemaKeys(source);

    // Assess
    expect(rewritten).toContain('{ "http": ["POST", "/v2/email/outbound-emails", 200] }');
    expect(rewritten).toContain('{ "error": _c,"http": 400 }');
    expect(rewritten.split('\n').slice(0, 3).join('\n')).toBe('const _h = "http";\nconst _e = "error";\nconst _c = "client";');
  });

  it('leaves array elements, keys naming non-string constants, unknown names and __proto__ as they are', () => {
    const source = [
      'const _n = 42;',
      'let _l = "let";',
      'const _p = "__proto__";',
      'var a = [_x, [_h]];',
      'var b = { [_n]: 1, [_l]: 2, [_unknown]: 3, [_p]: 4 };',
      'var c = f([_h]);',
    ].join('\n');

    expect(literalSchemaKeys(source)).toBe(source);
  });
});

describe('bundleLambda', () => {
  let dir: string;
  let withPlugin: string;
  let withoutPlugin: string;

  beforeAll(async () => {
    dir = await mkdtemp(path.join(tmpdir(), 'policy-monitor-bundle-'));
    withPlugin = (await bundleLambda({ entry: ROUND_TRIP_ENTRY, outdir: path.join(dir, 'plugin') })).file;
    // The same build without the schema plugin: what NodejsFunction's esbuild CLI call produced.
    withoutPlugin = path.join(dir, 'plain', 'index.mjs');
    await esbuild.build({ ...LAMBDA_BUILD_OPTIONS, mainFields: [...LAMBDA_BUILD_OPTIONS.mainFields], external: [...LAMBDA_BUILD_OPTIONS.external], entryPoints: [ROUND_TRIP_ENTRY], outfile: withoutPlugin, logLevel: 'error' });
  }, 60_000);
  afterAll(async () => rm(dir, { recursive: true, force: true }));

  async function roundTrip(file: string): Promise<{ sent: Array<Record<string, unknown>>; outcomes: Array<Record<string, unknown>> }> {
    const { stdout } = await run(process.execPath, [file], { env: { PATH: process.env.PATH ?? '', AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: 'true' } });
    return JSON.parse(stdout) as never;
  }

  it('drops the schemas of SDK operations the code never sends', async () => {
    // CreateContactList is an SES v2 operation, DeleteBucketAnalyticsConfiguration an S3 one;
    // the entry sends neither.
    const [plugin, plain] = await Promise.all([readFile(withPlugin, 'utf8'), readFile(withoutPlugin, 'utf8')]);

    expect(plain).toContain('CreateContactList');
    expect(plain).toContain('DeleteBucketAnalyticsConfiguration');
    expect(plugin).not.toContain('CreateContactList');
    expect(plugin).not.toContain('DeleteBucketAnalyticsConfiguration');
    expect(plain.length - plugin.length).toBeGreaterThan(50_000);
  });

  it('sends the same requests and reads the same responses and errors as the unrewritten SDK', async () => {
    // Act
    const [plugin, plain] = await Promise.all([roundTrip(withPlugin), roundTrip(withoutPlugin)]);

    // Assess: what the handlers rely on, then everything else by equality.
    expect(plugin.sent.map((request) => `${String(request.method)} ${String(request.path)}`)).toEqual([
      'PUT /snapshots/raw/p/1',
      'GET /snapshots/raw/p/missing',
      'POST /v2/email/outbound-emails',
      'POST /v2/email/outbound-emails',
    ]);
    expect(JSON.parse(String(plugin.sent[2]?.body))).toMatchObject({
      FromEmailAddress: 'alerts@example.org',
      Destination: { ToAddresses: ['dpo@example.org'] },
      Content: { Simple: { Headers: [{ Name: 'List-Unsubscribe', Value: '<https://example.org/u>' }] } },
    });
    expect(plugin.outcomes).toEqual([
      { ok: { ETag: '"abc"', httpStatusCode: 200, hasBody: false } },
      { error: { name: 'NoSuchKey', fault: 'client', httpStatusCode: 404, message: 'The specified key does not exist.' } },
      { ok: { MessageId: 'm-1', httpStatusCode: 200, hasBody: false } },
      { error: { name: 'MessageRejected', fault: 'client', httpStatusCode: 400, message: 'Email address is not verified.' } },
    ]);
    expect(plugin).toEqual(plain);
  }, 30_000);
});
