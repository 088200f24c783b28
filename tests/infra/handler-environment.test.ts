/**
 * The contract between the stack and the handlers' composition root
 * (functions/handlers/runtime.ts): each function gets every variable its handler reads at
 * start-up, so a cold start cannot fail on a missing name.
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createStubProject, environmentOf, findMonitorFunctions, synthesizeMonitor, type StubProject } from './monitor-app.ts';

let project: StubProject;
beforeAll(() => {
  project = createStubProject();
});
afterAll(() => project.remove());

/** The function's variables as the handler would see them: names from the stack, placeholder values. */
function environmentNamesOf(functionId: string, template: ReturnType<typeof synthesizeMonitor>['template']): NodeJS.ProcessEnv {
  return Object.fromEntries(Object.keys(environmentOf(template, functionId)).map((name) => [name, `${name.toLowerCase()}-value`]));
}

describe('handler environment', () => {
  it('gives each function every variable the handlers read at start-up', async () => {
    // Prepare: imported here so a handler mid-edit fails this test, not the stack tests.
    const { runtimeConfigFromEnv } = await import('../../functions/handlers/runtime.ts');
    const { template } = synthesizeMonitor(project.projectRoot);
    const functionIds = findMonitorFunctions(template);

    // Act
    const configs = Object.fromEntries(
      Object.entries(functionIds).map(([name, id]) => [name, runtimeConfigFromEnv(environmentNamesOf(id, template))]),
    );

    // Assess: what each use-case needs beyond the tables and bucket every function gets.
    expect(configs.scheduler).toMatchObject({ queueUrl: 'check_queue_url-value' });
    expect(configs.scheduler).not.toHaveProperty('senderEmail');
    expect(configs.digest).toMatchObject({
      senderEmail: 'sender_email-value',
      publicBaseUrl: 'public_base_url-value',
      unsubscribeSecret: { secretId: 'unsubscribe_secret_param-value' },
    });
    expect(configs.check).toMatchObject({
      senderEmail: 'sender_email-value',
      publicBaseUrl: 'public_base_url-value',
      unsubscribeSecret: { secretId: 'unsubscribe_secret_param-value' },
    });
    expect(configs.api).toMatchObject({
      // The API sends the confirmation emails of new subscriptions.
      senderEmail: 'sender_email-value',
      publicBaseUrl: 'public_base_url-value',
      unsubscribeSecret: { secretId: 'unsubscribe_secret_param-value' },
    });
  });

  it('never allows private fetch targets in the deployed functions', () => {
    const { template } = synthesizeMonitor(project.projectRoot);

    for (const id of Object.values(findMonitorFunctions(template))) {
      // The test and local-runner escape hatch (DESIGN §4) must not reach production.
      expect(environmentOf(template, id)).not.toHaveProperty('POLICY_MONITOR_ALLOW_HOSTS');
    }
  });
});
