/**
 * CDK entry (`cdk.json` runs it with tsx). Settings come from context; every synth is
 * checked against cdk-nag's AWS Solutions rules, and an unacknowledged finding fails it.
 */
import { App, Validations } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { PolicyMonitorStack } from './policy-monitor-stack.ts';
import { readMonitorSettings } from './settings.ts';

const app = new App();

new PolicyMonitorStack(app, 'PolicyMonitor', {
  description: 'Policy-change monitor: scheduled clause-level diffs of privacy policies and terms, with email alerts',
  ...readMonitorSettings(app),
});

// cdk-nag 3 runs as a CDK policy-validation plugin (it replaced the v2 Aspect).
Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));

app.synth();
