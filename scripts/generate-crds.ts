/**
 * npm run generate — writes crds/*.yaml from the zod schemas in controller/src/api, and the same
 * files into the Helm chart (charts/drs-operator/crds/). `--check` writes nothing and exits 1
 * when either copy is stale (used by CI and the test suite).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderCrds } from '../controller/src/api/crd-files.ts';

const root = join(import.meta.dirname, '..');
const dirs = [join(root, 'crds'), join(root, 'charts', 'drs-operator', 'crds')];
const check = process.argv.includes('--check');
let stale = 0;
for (const dir of dirs) {
  await mkdir(dir, { recursive: true });
  for (const [file, text] of renderCrds()) {
    const path = join(dir, file);
    const current = await readFile(path, 'utf8').catch(() => '');
    if (current === text) continue;
    stale++;
    if (check) console.error(`${path} is stale: run npm run generate`);
    else {
      await writeFile(path, text);
      console.log(`wrote ${path}`);
    }
  }
}
if (check && stale > 0) process.exit(1);
if (!check && stale === 0) console.log('crds/ and charts/drs-operator/crds/ are up to date');
