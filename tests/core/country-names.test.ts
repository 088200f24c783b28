// functions/core/country-names.ts is a committed artefact: it must be what `npm run countries` writes with this Node's ICU.
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { canonicalRegion } from '../../functions/core/regions.ts';
import { renderCountryNames } from '../../scripts/write-country-names.ts';

describe('country names', () => {
  it('match what ICU names today (run `npm run countries` when this fails)', () => {
    const committed = readFileSync(new URL('../../functions/core/country-names.ts', import.meta.url), 'utf8');
    expect(committed).toBe(renderCountryNames());
  });

  it('give the engine countries no hand-kept list names, and keep ambiguous ones out', () => {
    expect(canonicalRegion('Panama')).toBe('Panama');
    expect(canonicalRegion('Mongolia')).toBe('Mongolia');
    expect(canonicalRegion('Georgia')).toBeUndefined();
    expect(canonicalRegion('Jersey')).toBeUndefined();
  });
});
