// seeds/baselines/*.json are committed artefacts: they must be what `npm run baseline` writes today.
import { readFileSync, readdirSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { renderBaselines } from '../../scripts/write-baselines.ts';

describe('seed baselines', () => {
  const rendered = renderBaselines();

  it('has one committed baseline per seed and no stale extra', () => {
    const committed = readdirSync(new URL('../../seeds/baselines/', import.meta.url)).sort();
    expect(committed).toEqual([...rendered.keys()].sort());
  });

  it.each([...rendered.keys()])('%s is up to date (run `npm run baseline` if this fails)', (name) => {
    const committed = readFileSync(new URL(`../../seeds/baselines/${name}`, import.meta.url), 'utf8');
    expect(committed).toBe(rendered.get(name));
  });

  it('is deterministic', () => {
    expect(renderBaselines()).toEqual(rendered);
  });
});
