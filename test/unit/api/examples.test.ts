import { readFile, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { CoreV1Api, CustomObjectsApi } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseAllDocuments } from 'yaml';
import { PROVIDER_IDS } from '../../../controller/src/api/provider-config.ts';
import { ReplicationJobSpec } from '../../../controller/src/api/replication-job-spec.ts';
import { startKubeApiServer, type KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { CRD_DIR } from '../../support/test-cluster.ts';

const EXAMPLES = join(import.meta.dirname, '..', '..', '..', 'examples');

/** Every example is accepted by the generated CRDs (schema and CEL) and by the controller's zod schema. */
describe('examples/', async () => {
  const files = (await readdir(EXAMPLES)).filter((f) => f.endsWith('.yaml'));
  let server: KubeApiServer;
  beforeAll(async () => {
    server = await startKubeApiServer({ crdDir: CRD_DIR });
  });
  afterAll(() => server?.close());

  it('has examples', () => expect(files.length).toBeGreaterThan(0));

  it.each(files)('%s applies cleanly', async (file) => {
    const core = server.kubeConfig().makeApiClient(CoreV1Api);
    const custom = server.kubeConfig().makeApiClient(CustomObjectsApi);
    const docs = parseAllDocuments(await readFile(join(EXAMPLES, file), 'utf8')).map((d) => d.toJS());
    for (const doc of docs) {
      const namespace = doc.metadata.namespace ?? 'default';
      await core.createNamespace({ body: { metadata: { name: namespace } } }).catch(() => undefined);
      if (doc.kind === 'Secret') {
        await core.createNamespacedSecret({ namespace, body: doc });
        continue;
      }
      const [group, version] = doc.apiVersion.split('/');
      const plural = `${doc.kind.toLowerCase()}s`;
      const created = (await custom.createNamespacedCustomObject({ group, version, namespace, plural, body: doc })) as { spec: unknown };
      // Nothing pruned or defaulted: what the user wrote is what is stored.
      expect(created.spec).toEqual(doc.spec);
      if (doc.kind === 'ReplicationJob') expect(ReplicationJobSpec.safeParse(doc.spec).success).toBe(true);
    }
  });

  it('has one example per provider (local: the ClusterProviderConfig the embedded engine creates)', async () => {
    const covered = new Set<string>();
    for (const file of files) {
      for (const doc of parseAllDocuments(await readFile(join(EXAMPLES, file), 'utf8')).map((d) => d.toJS())) {
        if (doc.kind === 'ProviderConfig' || doc.kind === 'ClusterProviderConfig') covered.add(doc.spec.provider);
        if (doc.kind === 'ReplicationJob' && doc.spec.providerRef.kind === 'ClusterProviderConfig' && doc.spec.providerRef.name === 'local') covered.add('local');
      }
    }
    expect([...covered].sort()).toEqual([...PROVIDER_IDS].sort());
  });
});
