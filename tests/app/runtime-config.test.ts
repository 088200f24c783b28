// The check worker's failure-handling settings, read from the environment by the composition root.
import { describe, expect, it } from 'vitest';
import { prefixedTables, tablesToEnv } from '../../functions/adapters/dynamo-store.ts';
import { DEFAULT_CONFIRM_DELAY_MS, runtimeConfigFromEnv } from '../../functions/handlers/runtime.ts';

const BASE = { SNAPSHOT_BUCKET: 'bucket', ...tablesToEnv(prefixedTables('test-')) };

describe('runtimeConfigFromEnv: failure handling', () => {
  it('confirms changes after a minute and leaves the broken threshold to the use-case by default', () => {
    const config = runtimeConfigFromEnv(BASE);
    expect(DEFAULT_CONFIRM_DELAY_MS).toBe(60_000);
    expect(config.confirmDelayMs).toBe(60_000);
    expect(config.brokenAfterFailures).toBeUndefined();
  });

  it('reads BROKEN_AFTER_FAILURES and CONFIRM_DELAY_SECONDS', () => {
    const config = runtimeConfigFromEnv({ ...BASE, BROKEN_AFTER_FAILURES: '5', CONFIRM_DELAY_SECONDS: '0.5' });
    expect(config).toMatchObject({ brokenAfterFailures: 5, confirmDelayMs: 500 });
  });

  it('refuses a threshold or delay that is not a number, naming the variable', () => {
    expect(() => runtimeConfigFromEnv({ ...BASE, BROKEN_AFTER_FAILURES: '0' })).toThrow('BROKEN_AFTER_FAILURES must be a positive integer, not "0"');
    expect(() => runtimeConfigFromEnv({ ...BASE, CONFIRM_DELAY_SECONDS: 'soon' })).toThrow('CONFIRM_DELAY_SECONDS must be a number of seconds, not "soon"');
  });
});
