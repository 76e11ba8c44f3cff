import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { CHART_DIR, helmRunsHere, renderChart, ROOT } from './helm.ts';

const GENERATED = join(ROOT, 'crds');
const IN_CHART = join(CHART_DIR, 'crds');

describe('CRDs in the chart', () => {
  it('are byte-identical to the generated crds/ (after npm run generate: cp crds/*.yaml charts/drs-operator/crds/)', async () => {
    const generated = (await readdir(GENERATED)).filter((f) => f.endsWith('.yaml')).sort();
    const inChart = (await readdir(IN_CHART)).sort();
    expect(inChart).toEqual(generated);
    for (const file of generated) {
      const [want, got] = await Promise.all([readFile(join(GENERATED, file), 'utf8'), readFile(join(IN_CHART, file), 'utf8')]);
      expect(got, `charts/drs-operator/crds/${file} differs from crds/${file}`).toBe(want);
    }
  });

  it.skipIf(!helmRunsHere)('are what helm installs (helm template --include-crds)', async () => {
    const crds = (await renderChart({}, { args: ['--include-crds'] })).filter((m) => m.kind === 'CustomResourceDefinition');
    const expected = await Promise.all((await readdir(GENERATED)).map(async (f) => parse(await readFile(join(GENERATED, f), 'utf8')) as { metadata: { name: string } }));
    expect(crds.map((c) => c.metadata.name).sort()).toEqual(expected.map((c) => c.metadata.name).sort());
    for (const crd of crds) expect(crd).toEqual(expected.find((e) => e.metadata.name === crd.metadata.name));
  });
});
