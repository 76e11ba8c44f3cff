import { access, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { PROVIDER_IDS } from '../../../controller/src/api/provider-config.ts';
import { SIMULATORS } from '../../../simulators/registry.ts';
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

  it('has a provider row, a simulator and an example for every provider id', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const providers = readme.slice(readme.indexOf('## Providers'), readme.indexOf('### Simulators'));
    for (const id of PROVIDER_IDS) {
      expect(providers).toMatch(new RegExp(`^\\| \`${id}\``, 'm'));
      expect(Object.keys(SIMULATORS)).toContain(id);
    }
  });

  it('links only to files that exist', async () => {
    const readme = await readFile(join(root, 'README.md'), 'utf8');
    const links = [...readme.matchAll(/\]\(((?!https?:|#)[^)\s]+)\)/g)].map((m) => m[1]!);
    expect(links.length).toBeGreaterThan(5);
    for (const link of links) await expect(access(join(root, link)), link).resolves.toBeUndefined();
  });
});
