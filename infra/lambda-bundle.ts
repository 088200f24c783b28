/**
 * How every Lambda handler is bundled: one esbuild build per handler, ESM, minified, with a
 * source map. The stack (monitor-function.ts) and `npm run bench` both call `bundleLambda`, so
 * the bench measures exactly what `cdk deploy` ships.
 *
 * esbuild runs here through its JavaScript API rather than NodejsFunction's CLI call, because
 * the AWS SDK needs a plugin (`sdkSchemaLiteralKeys`) that the CLI cannot take.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import * as esbuild from 'esbuild';

// esbuild's ESM output has no `require`; some CommonJS dependencies still call it for Node
// built-ins. Aliased so the banner cannot collide with an import in the bundled code.
const ESM_REQUIRE_BANNER =
  "import { createRequire as createRequireForEsm } from 'node:module'; const require = createRequireForEsm(import.meta.url);";

/**
 * SDK modules no handler reaches, left to the Lambda runtime's own SDK should one ever be asked
 * for. All are loaded with a lazy `import()`, so nothing is evaluated unless a code path needs them:
 * - the credential providers of the default chain after `fromEnv`, which always succeeds in
 *   Lambda (the runtime sets the role's keys in the environment);
 * - bowser, the browser user-agent parser.
 * (The event-stream serde looks like one of these, but S3's client imports it statically.)
 */
const UNREACHED_SDK_MODULES = [
  '@aws-sdk/credential-provider-sso',
  '@aws-sdk/credential-provider-ini',
  '@aws-sdk/credential-provider-process',
  '@aws-sdk/credential-provider-web-identity',
  '@aws-sdk/credential-provider-http',
  '@smithy/credential-provider-imds',
  'bowser',
] as const;

/** The Lambda runtime the bundles target (infra/monitor-function.ts deploys Node.js 22). */
const BUNDLE_TARGET = 'node22';

// A top-level `const _x = "literal";`, as the SDK's generated schema modules declare their strings.
const STRING_CONSTANT = /^const (_\w+) = ("(?:[^"\\\n]|\\.)*");$/gm;
// A computed key naming such a constant, right after `{` or `,` (never an array element).
const COMPUTED_CONSTANT_KEY = /([{,]\s*)\[(_\w+)\]:/g;

/**
 * Rewrites `{ [_h]: … }` to `{ "http": … }` where `_h` is a string constant of the same module.
 * The two objects are identical, but esbuild treats any computed key as a possible side effect
 * and keeps the whole declaration, so every operation schema of a client stayed in the bundle
 * (aws/aws-sdk-js-v3#7607, fix pending upstream in smithy-lang/smithy-typescript#1889). Once the
 * SDK writes literal keys itself, this finds nothing to rewrite.
 */
export function literalSchemaKeys(source: string): string {
  const strings = new Map<string, string>();
  for (const [, name, literal] of source.matchAll(STRING_CONSTANT)) strings.set(name!, literal!);
  return source.replace(COMPUTED_CONSTANT_KEY, (whole, before: string, name: string) => {
    const literal = strings.get(name);
    // A literal `"__proto__":` would set the prototype instead of making a property.
    return literal === undefined || literal === '"__proto__"' ? whole : `${before}${literal}:`;
  });
}

/** Applies `literalSchemaKeys` to the generated schema modules of the AWS SDK clients. */
const sdkSchemaLiteralKeys: esbuild.Plugin = {
  name: 'sdk-schema-literal-keys',
  setup(build) {
    build.onLoad({ filter: /[\\/]@aws-sdk[\\/]client-[^\\/]+[\\/]dist-es[\\/]schemas[\\/]schemas_\d+\.js$/ }, async ({ path }) => ({
      contents: literalSchemaKeys(await readFile(path, 'utf8')),
      loader: 'js',
    }));
  },
};

export interface BundleLambdaOptions {
  /** Absolute path of the handler's entry file; it must export `handler`. */
  entry: string;
  /** Where `index.mjs` and its source map are written. */
  outdir: string;
  /** Paths in the source map are relative to this directory. @default the process's working directory */
  projectRoot?: string;
  /** Left out of the bundle besides UNREACHED_SDK_MODULES (the bench's SDK-external variant). */
  extraExternal?: readonly string[];
}

/** The esbuild options every handler is built with, bar its entry, output and plugins. */
export const LAMBDA_BUILD_OPTIONS = {
  bundle: true,
  platform: 'node',
  target: BUNDLE_TARGET,
  format: 'esm',
  // The SDK's ES module build, which esbuild can tree-shake, before its CommonJS one.
  mainFields: ['module', 'main'],
  banner: { js: ESM_REQUIRE_BANNER },
  minify: true,
  sourcemap: true,
  // Ship the AWS SDK versions the lockfile pins and the tests ran against, not whichever v3
  // release the runtime carries; bundled, it also imports in less than half the time (npm run
  // bench: SDK external).
  external: [...UNREACHED_SDK_MODULES],
  logLevel: 'warning',
} as const satisfies esbuild.BuildOptions;

/** Bundles one handler into `outdir/index.mjs`; returns the file and esbuild's metafile. */
export async function bundleLambda(options: BundleLambdaOptions): Promise<{ file: string; metafile: esbuild.Metafile }> {
  const file = join(options.outdir, 'index.mjs');
  const result = await esbuild.build({
    ...LAMBDA_BUILD_OPTIONS,
    entryPoints: [options.entry],
    outfile: file,
    ...(options.projectRoot === undefined ? {} : { absWorkingDir: options.projectRoot }),
    external: [...LAMBDA_BUILD_OPTIONS.external, ...(options.extraExternal ?? [])],
    plugins: [sdkSchemaLiteralKeys],
    metafile: true,
  });
  return { file, metafile: result.metafile };
}
