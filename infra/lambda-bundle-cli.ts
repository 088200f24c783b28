/**
 * `tsx infra/lambda-bundle-cli.ts <entry> <outdir> [projectRoot]`: bundles one handler. CDK's
 * local bundling is synchronous and esbuild plugins only run in its asynchronous API, so
 * MonitorFunction runs this in a child process.
 */
import { bundleLambda } from './lambda-bundle.ts';

const [entry, outdir, projectRoot] = process.argv.slice(2);
if (entry === undefined || outdir === undefined) {
  process.stderr.write('usage: lambda-bundle-cli.ts <entry> <outdir> [projectRoot]\n');
  process.exit(2);
}
await bundleLambda({ entry, outdir, ...(projectRoot === undefined ? {} : { projectRoot }) });
