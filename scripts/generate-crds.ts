/**
 * npm run generate — writes crds/*.yaml from the zod schemas in controller/src/api.
 * `--check` writes nothing and exits 1 when crds/ is stale (used by CI and the test suite).
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { renderCrds } from '../controller/src/api/crd-files.ts';

const dir = join(import.meta.dirname, '..', 'crds');
const check = process.argv.includes('--check');
let stale = 0;
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
if (check && stale > 0) process.exit(1);
if (!check && stale === 0) console.log('crds/ is up to date');
