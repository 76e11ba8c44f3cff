import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { renderCrds } from '../../../controller/src/api/crd-files.ts';
import { undocumentedFields } from '../../../controller/src/api/crd-generator.ts';

const crdDir = join(import.meta.dirname, '..', '..', '..', 'crds');

describe('generated CRDs', () => {
  it('crds/ matches the zod schemas byte for byte (run `npm run generate` when this fails)', async () => {
    const rendered = renderCrds();
    expect(rendered.size).toBe(3);
    for (const [file, text] of rendered) {
      const onDisk = await readFile(join(crdDir, file), 'utf8').catch(() => '<missing>');
      expect(onDisk, `${file} is stale: run npm run generate`).toBe(text);
    }
  });

  it('documents every field, so kubectl explain is useful everywhere', () => {
    for (const [file, text] of renderCrds()) {
      const crd = parse(text);
      const schema = crd.spec.versions[0].schema.openAPIV3Schema;
      expect(undocumentedFields(schema), file).toEqual([]);
    }
  });

  it('serves the status subresource, short names, category and the printer columns users see', () => {
    const rj = parse(renderCrds().get('replication.drs-operator.io_replicationjobs.yaml')!);
    expect(rj.spec.names).toMatchObject({ kind: 'ReplicationJob', shortNames: ['rj'], categories: ['drs'] });
    expect(rj.spec.scope).toBe('Namespaced');
    const version = rj.spec.versions[0];
    expect(version.name).toBe('v1alpha1');
    expect(version.subresources).toEqual({ status: {} });
    expect(version.additionalPrinterColumns.filter((c: { priority?: number }) => !c.priority).map((c: { name: string }) => c.name)).toEqual([
      'State',
      'Phase',
      'Progress',
      'Delay',
      'Job ID',
      'Age',
    ]);
    const cluster = parse(renderCrds().get('replication.drs-operator.io_clusterproviderconfigs.yaml')!);
    expect(cluster.spec.scope).toBe('Cluster');
  });

  it('has no schema defaults on user fields, so Argo CD never sees a diff the user did not write', () => {
    for (const [file, text] of renderCrds()) {
      expect(text.includes('default:'), file).toBe(false);
    }
  });

  it('declares the immutability rules as CEL transition rules on spec', () => {
    const rj = parse(renderCrds().get('replication.drs-operator.io_replicationjobs.yaml')!);
    const rules: { rule: string }[] = rj.spec.versions[0].schema.openAPIV3Schema.properties.spec['x-kubernetes-validations'];
    const text = rules.map((r) => r.rule).join('\n');
    for (const field of ['providerRef', 'type', 'engine', 'direction', 'network', 'source', 'target']) {
      expect(text).toContain(`self.${field} == oldSelf.${field}`);
    }
    expect(text).toContain("oldSelf.state != 'Stopped'");
  });
});
