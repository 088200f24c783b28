import { existsSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { App, Stack, type CfnElement } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { AttributeType, Table } from 'aws-cdk-lib/aws-dynamodb';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MonitorFunction } from '../../infra/monitor-function.ts';
import { createStubProject, environmentOf, permissionsOf, resourcesOfType, type StubProject } from './monitor-app.ts';

const REPOSITORY_NODE_MODULES = fileURLToPath(new URL('../../node_modules', import.meta.url));

let project: StubProject;
beforeAll(() => {
  project = createStubProject();
});
afterAll(() => project.remove());

function newFunction(stack: Stack, handlerName: string, id = 'test-fn'): MonitorFunction {
  return new MonitorFunction(stack, id, {
    entry: path.join(project.projectRoot, 'functions', 'handlers', `${handlerName}.ts`),
    projectRoot: project.projectRoot,
  });
}

describe('MonitorFunction', () => {
  it('bundles each handler locally with esbuild into ESM whose CommonJS dependencies can still require()', async () => {
    // Prepare: a handler calling require(), as CommonJS code inside an ESM bundle does, and a
    // second handler beside it (both functions' assets share one source directory), in a project
    // whose node_modules is the repository's.
    symlinkSync(REPOSITORY_NODE_MODULES, path.join(project.projectRoot, 'node_modules'), 'dir');
    const handlersDir = path.join(project.projectRoot, 'functions', 'handlers');
    writeFileSync(path.join(handlersDir, 'requires.ts'), "export const handler = async () => require('node:path').posix.join('a', 'b');\n");
    writeFileSync(path.join(handlersDir, 'other.ts'), "export const handler = async () => 'other';\n");
    const app = new App({ outdir: path.join(project.projectRoot, 'cdk.out') });
    const stack = new Stack(app, 'BundleTest');
    const functionIds = ['requires', 'other'].map((name) => stack.resolve((newFunction(stack, name, `${name}-fn`).node.defaultChild as CfnElement).logicalId) as string);

    // Act
    const assembly = app.synth();

    // Assess
    const functions = resourcesOfType(Template.fromStack(stack), 'AWS::Lambda::Function');
    const results = [];
    for (const id of functionIds) {
      const assetHash = String((functions.get(id)?.Properties?.Code as { S3Key: string }).S3Key).replace(/\.zip$/, '');
      const bundlePath = path.join(assembly.directory, `asset.${assetHash}`, 'index.mjs');
      expect(readFileSync(bundlePath, 'utf8')).toMatch(/^import \{ createRequire as createRequireForEsm \} from 'node:module';/);
      expect(existsSync(`${bundlePath}.map`)).toBe(true);
      const bundled = (await import(pathToFileURL(bundlePath).href)) as { handler: () => Promise<string> };
      results.push(await bundled.handler());
    }
    expect(results).toEqual(['a/b', 'other']);
  });

  it('binds a table by passing its name and granting only the access asked for', () => {
    // Prepare
    const app = new App({ outdir: path.join(project.projectRoot, 'cdk.out-bind'), context: { [BUNDLING_STACKS]: [] } });
    const stack = new Stack(app, 'BindTest');
    const table = new Table(stack, 'table', { partitionKey: { name: 'id', type: AttributeType.STRING } });
    const tableId = stack.resolve((table.node.defaultChild as CfnElement).logicalId) as string;

    // Act
    const fn = newFunction(stack, 'check').bindTable(table, 'SOME_TABLE', 'read');

    // Assess
    const template = Template.fromStack(stack);
    const fnId = stack.resolve((fn.node.defaultChild as CfnElement).logicalId) as string;
    const actions = permissionsOf(template, fnId).map((permission) => permission.action);
    expect(environmentOf(template, fnId).SOME_TABLE).toEqual({ Ref: tableId });
    expect(actions).toContain('dynamodb:GetItem');
    expect(actions).not.toContain('dynamodb:PutItem');
  });
});
