/**
 * The seed policies (seeds/manifest.json): the first tracked policies and the tests' baseline.
 */
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { z } from 'zod';

export const SEEDS_DIR = fileURLToPath(new URL('../seeds/', import.meta.url));

const SeedSchema = z.object({
  policyId: z.string().regex(/^[a-z0-9-]{3,64}$/),
  name: z.string().min(1),
  file: z.string().min(1),
  format: z.enum(['html', 'markdown', 'text']),
});
export type Seed = z.infer<typeof SeedSchema>;

/** Loads and validates the manifest; a malformed entry names the file and the field. */
export function loadSeeds(dir = SEEDS_DIR): Array<Seed & { text: string }> {
  const path = `${dir}manifest.json`;
  const parsed = z.object({ policies: z.array(SeedSchema).min(1) }).safeParse(JSON.parse(readFileSync(path, 'utf8')));
  if (!parsed.success) throw new Error(`${path}: ${parsed.error.issues.map((i) => `${i.path.join('.')}: ${i.message}`).join('; ')}`);
  return parsed.data.policies.map((seed) => ({ ...seed, text: readFileSync(`${dir}${seed.file}`, 'utf8') }));
}
