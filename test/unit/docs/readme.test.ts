import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { withConfigReference } from '../../../scripts/readme-config.ts';

const root = join(import.meta.dirname, '..', '..', '..');

describe('README', () => {
  it('documents every setting exactly as the config table defines it (run node scripts/readme-config.ts)', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    expect(readme).toBe(withConfigReference(readme));
  });

  it('names the test command that .ci/run runs', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const ci = await readFile(join(root, '.ci', 'run'), 'utf8');
    expect(readme).toContain('npm ci && .ci/postgres-setup.sh && npm test');
    expect(ci).toMatch(/npm ci[^\n]*\n[\s\S]*\.ci\/postgres-setup\.sh\n[\s\S]*npm test/);
  });
});
