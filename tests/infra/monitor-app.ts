/**
 * Builds a fresh PolicyMonitor stack for one test, the way `cdk synth` would (same cdk.json
 * context and feature flags), but with bundling skipped and stub handlers, so a synth costs
 * a fraction of a second and does not need the real handlers to exist.
 */
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { App } from 'aws-cdk-lib';
import { Template } from 'aws-cdk-lib/assertions';
import { BUNDLING_STACKS } from 'aws-cdk-lib/cx-api';
import { PolicyMonitorStack } from '../../infra/policy-monitor-stack.ts';
import { readMonitorSettings } from '../../infra/settings.ts';

const HANDLER_NAMES = ['scheduler', 'digest', 'check', 'api', 'ses-feedback'] as const;

const cdkJson = JSON.parse(readFileSync(new URL('../../cdk.json', import.meta.url), 'utf8')) as { context: Record<string, unknown> };

/** What cdk.json's context holds: the deployment defaults and the feature flags. */
export const CDK_JSON_CONTEXT: Readonly<Record<string, unknown>> = cdkJson.context;

export interface StubProject {
  readonly projectRoot: string;
  remove(): void;
}

/** A temporary project root with one stub per handler: each function's asset is its handler directory. */
export function createStubProject(): StubProject {
  const projectRoot = mkdtempSync(path.join(tmpdir(), 'policy-monitor-infra-'));
  const handlersDir = path.join(projectRoot, 'functions', 'handlers');
  mkdirSync(handlersDir, { recursive: true });
  for (const name of HANDLER_NAMES) {
    writeFileSync(path.join(handlersDir, `${name}.ts`), 'export const handler = async () => undefined;\n');
  }
  return { projectRoot, remove: () => rmSync(projectRoot, { recursive: true, force: true }) };
}

export interface MonitorApp {
  readonly app: App;
  readonly stack: PolicyMonitorStack;
}

/** A new App and stack from cdk.json's context plus `context` overrides; nothing is bundled. */
export function buildMonitor(projectRoot: string, context: Record<string, unknown> = {}): MonitorApp {
  const app = new App({
    // Inside the stub project, so removing it also removes the cloud assemblies.
    outdir: mkdtempSync(path.join(projectRoot, 'cdk.out-')),
    context: { ...CDK_JSON_CONTEXT, [BUNDLING_STACKS]: [], ...context },
  });
  const stack = new PolicyMonitorStack(app, 'PolicyMonitor', { ...readMonitorSettings(app), projectRoot });
  return { app, stack };
}

/** buildMonitor, then the stack's template (which synthesizes the app). */
export function synthesizeMonitor(projectRoot: string, context: Record<string, unknown> = {}): MonitorApp & { readonly template: Template } {
  const { app, stack } = buildMonitor(projectRoot, context);
  return { app, stack, template: Template.fromStack(stack) };
}

/** One CloudFormation resource as Template.findResources returns it. */
export interface TemplateResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}

export function resourcesOfType(template: Template, type: string): Map<string, TemplateResource> {
  return new Map(Object.entries(template.findResources(type) as Record<string, TemplateResource>));
}

/** Logical ids that `value` points at through Ref or Fn::GetAtt, in order of appearance. */
export function referencedIds(value: unknown): string[] {
  if (Array.isArray(value)) return value.flatMap(referencedIds);
  if (value === null || typeof value !== 'object') return [];
  const record = value as Record<string, unknown>;
  if (typeof record.Ref === 'string') return [record.Ref];
  const getAtt = record['Fn::GetAtt'];
  if (Array.isArray(getAtt) && typeof getAtt[0] === 'string') return [getAtt[0]];
  return Object.values(record).flatMap(referencedIds);
}

/** The logical ids of the three functions, found by what invokes them rather than by name. */
export interface MonitorFunctionIds {
  readonly scheduler: string;
  readonly digest: string;
  readonly check: string;
  readonly api: string;
}

export function findMonitorFunctions(template: Template): MonitorFunctionIds {
  const functionIds = new Set(resourcesOfType(template, 'AWS::Lambda::Function').keys());
  const invokedBy = (resources: Iterable<unknown>): string => {
    const ids = new Set([...resources].flatMap(referencedIds).filter((id) => functionIds.has(id)));
    if (ids.size !== 1) throw new Error(`expected one function, found ${JSON.stringify([...ids])}`);
    return [...ids][0] as string;
  };
  const properties = (type: string) => [...resourcesOfType(template, type).values()].map((resource) => resource.Properties);
  return {
    // The two rules differ by what they start: the sweep, and the daily digest.
    scheduler: invokedBy(properties('AWS::Events::Rule').filter((rule) => !/digest/i.test(String(rule?.Description))).map((rule) => rule?.Targets)),
    digest: invokedBy(properties('AWS::Events::Rule').filter((rule) => /digest/i.test(String(rule?.Description))).map((rule) => rule?.Targets)),
    check: invokedBy(properties('AWS::Lambda::EventSourceMapping').map((mapping) => mapping?.FunctionName)),
    api: invokedBy(properties('AWS::ApiGateway::Method').map((method) => (method?.Integration as { Uri?: unknown } | undefined)?.Uri)),
  };
}

export function environmentOf(template: Template, functionId: string): Record<string, unknown> {
  const fn = resourcesOfType(template, 'AWS::Lambda::Function').get(functionId);
  const environment = fn?.Properties?.Environment as { Variables?: Record<string, unknown> } | undefined;
  return environment?.Variables ?? {};
}

/** Every IAM action the function's role is allowed, with the logical ids of its resources. */
export function permissionsOf(template: Template, functionId: string): { action: string; resources: string[] }[] {
  const fn = resourcesOfType(template, 'AWS::Lambda::Function').get(functionId);
  const roleId = referencedIds(fn?.Properties?.Role)[0];
  const policies = [...resourcesOfType(template, 'AWS::IAM::Policy').values()].filter((policy) => referencedIds(policy.Properties?.Roles).includes(roleId ?? ''));
  const statements = policies.flatMap(
    (policy) => (policy.Properties?.PolicyDocument as { Statement: { Effect: string; Action: string | string[]; Resource: unknown }[] }).Statement,
  );
  return statements
    .filter((statement) => statement.Effect === 'Allow')
    .flatMap((statement) => [statement.Action].flat().map((action) => ({ action, resources: referencedIds(statement.Resource) })));
}
