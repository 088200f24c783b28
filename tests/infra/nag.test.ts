import { Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import type { IConstruct } from 'constructs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStubProject, buildMonitor, type StubProject } from './monitor-app.ts';

// alarmEmail on, so the optional alarm topic is checked too.
const CONTEXT = { alarmEmail: 'ops@example.org' };

let project: StubProject;
beforeAll(() => {
  project = createStubProject();
});
afterAll(() => project.remove());

interface Acknowledgment {
  readonly path: string;
  readonly id: string;
  readonly reason: string;
}

/** Every rule acknowledged in the tree, with where and why (ids without CDK's namespace prefix). */
function collectAcknowledgments(root: IConstruct): Acknowledgment[] {
  return root.node.findAll().flatMap((construct) =>
    construct.node.metadata
      .filter((entry) => entry.type === Validations.ACKNOWLEDGED_RULES_METADATA_KEY)
      .flatMap((entry) =>
        Object.entries(entry.data as Record<string, string>).map(([id, reason]) => ({
          path: construct.node.path,
          id: id.replace(/^annotation::/i, ''),
          reason,
        })),
      ),
  );
}

/** "rule at construct path", one line per finding. */
function renderFindings(pack: AwsSolutionsChecks, root: IConstruct): string[] {
  return pack
    .validateScope(root)
    .violations.flatMap((violation) => violation.violatingResources.map((resource) => `${violation.ruleName} at ${resource.constructPath}`))
    .sort();
}

describe('cdk-nag AwsSolutions checks', () => {
  it('leaves no finding unacknowledged, error or warning (either fails `cdk synth`)', () => {
    // Prepare
    const { stack } = buildMonitor(project.projectRoot, CONTEXT);

    // Act
    const findings = renderFindings(new AwsSolutionsChecks(undefined, { verbose: true }), stack);

    // Assess
    expect(findings).toEqual([]);
  });

  it('gives every acknowledgment a reason of its own', () => {
    const { stack } = buildMonitor(project.projectRoot, CONTEXT);

    const acknowledgments = collectAcknowledgments(stack);

    expect(acknowledgments.length).toBeGreaterThan(0);
    for (const { path, id, reason } of acknowledgments) {
      expect(reason.length, `${id} at ${path}`).toBeGreaterThanOrEqual(60);
    }
  });

  it('acknowledges only findings that occur', () => {
    // Prepare: the same checks, blind to acknowledgments, list every raw finding. (cdk-nag has
    // no public switch for this; if its private hook is renamed, every acknowledgment shows up
    // as unused below and this test fails loudly rather than passing silently.)
    const { stack } = buildMonitor(project.projectRoot, CONTEXT);
    const blindPack = new AwsSolutionsChecks(undefined);
    Object.defineProperty(blindPack, 'isAcknowledged', { value: () => false });
    const rawFindings = renderFindings(blindPack, stack);

    // Act
    const unused = collectAcknowledgments(stack).filter(
      ({ path, id }) => !rawFindings.some((finding) => finding === `${id} at ${path}` || finding.startsWith(`${id} at ${path}/`)),
    );

    // Assess
    expect(unused.map(({ path, id }) => `${id} at ${path}`)).toEqual([]);
  });

  it('synthesizes with the checks registered as a validation plugin, as `cdk synth` runs them', () => {
    const { app } = buildMonitor(project.projectRoot, CONTEXT);
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app));

    expect(() => app.synth()).not.toThrow();
  });
});
