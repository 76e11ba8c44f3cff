// Deletion with finalizers (deletionTimestamp, removal once the last
// finalizer goes), what watchers see, and the garbage collector's handling
// of ownerReferences and propagation policies.
import { CoreV1Api } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { KubeApiServer } from '../../support/kube-apiserver/index.ts';
import { eventually, startServer, statusOf, watchUntil, widget, widgets, type Obj } from './helpers.ts';

let server: KubeApiServer;
let w: ReturnType<typeof widgets>;
let core: CoreV1Api;

beforeAll(async () => {
  server = await startServer();
  w = widgets(server.kubeConfig());
  core = server.kubeConfig().makeApiClient(CoreV1Api);
});
afterAll(() => server.close());

describe('finalizers', () => {
  it('marks an object with finalizers for deletion instead of removing it', async () => {
    await w.create(widget('fin-a', undefined, { finalizers: ['test.example.io/cleanup'] }));
    const deleted = await w.delete('fin-a');
    expect(deleted.kind).toBe('Widget');
    expect(deleted.metadata.deletionTimestamp).toMatch(/Z$/);
    expect(deleted.metadata.deletionGracePeriodSeconds).toBe(0);
    expect(deleted.metadata.generation).toBe(2); // markAsDeleting bumps generation
    expect(deleted.metadata.finalizers).toEqual(['test.example.io/cleanup']);
    expect((await w.get('fin-a')).metadata.deletionTimestamp).toBe(deleted.metadata.deletionTimestamp);

    const again = await w.delete('fin-a');
    expect(again.metadata.resourceVersion).toBe(deleted.metadata.resourceVersion);
  });

  it('forbids adding finalizers once deletion started', async () => {
    await w.create(widget('fin-b', undefined, { finalizers: ['test.example.io/one'] }));
    await w.delete('fin-b');
    const { code, body } = await statusOf(w.merge('fin-b', { metadata: { finalizers: ['test.example.io/one', 'test.example.io/two'] } }));
    expect(code).toBe(422);
    expect(body.message).toBe(
      'Widget.test.example.io "fin-b" is invalid: metadata.finalizers: Forbidden: no new finalizers can be added if the object is being deleted, found new finalizers []string{"test.example.io/two"}',
    );
  });

  it('keeps deletionTimestamp through updates and still accepts spec changes', async () => {
    await w.create(widget('fin-c', undefined, { finalizers: ['test.example.io/one'] }));
    const marked = await w.delete('fin-c');
    const updated = await w.merge('fin-c', { metadata: { deletionTimestamp: null }, spec: { size: 6 } });
    expect(updated.metadata.deletionTimestamp).toBe(marked.metadata.deletionTimestamp);
    expect(updated.spec.size).toBe(6);
  });

  it('removes the object when the last finalizer is removed; watchers see MODIFIED then DELETED', async () => {
    await w.create(widget('fin-d', undefined, { finalizers: ['test.example.io/one', 'test.example.io/two'] }));
    const events = await watchUntil(
      server.kubeConfig(),
      '/apis/test.example.io/v1/namespaces/default/widgets',
      { resourceVersion: String(server.store.resourceVersion), fieldSelector: 'metadata.name=fin-d' },
      (evs) => evs.some((e) => e.type === 'DELETED'),
      async () => {
        await w.delete('fin-d');
        await w.merge('fin-d', { metadata: { finalizers: ['test.example.io/two'] } });
        const last = await w.merge('fin-d', { metadata: { finalizers: null } });
        expect(last.metadata.finalizers).toBeUndefined();
      },
    );
    expect(events.map((e) => e.type)).toEqual(['MODIFIED', 'MODIFIED', 'DELETED']);
    expect(events[0]?.object.metadata.deletionTimestamp).toBeTruthy();
    expect((await statusOf(w.get('fin-d'))).code).toBe(404);
  });

  it('reports a pre-existing name as being deleted on create', async () => {
    await w.create(widget('fin-e', undefined, { finalizers: ['test.example.io/one'] }));
    await w.delete('fin-e');
    const { code, body } = await statusOf(w.create(widget('fin-e')));
    expect(code).toBe(409);
    expect(body.message).toBe('object is being deleted: widgets.test.example.io "fin-e" already exists');
  });
});

describe('garbage collection', () => {
  async function ownedSecret(name: string, owner: Obj) {
    return core.createNamespacedSecret({
      namespace: 'default',
      body: {
        metadata: {
          name,
          ownerReferences: [{ apiVersion: 'test.example.io/v1', kind: 'Widget', name: owner.metadata.name, uid: owner.metadata.uid, controller: true, blockOwnerDeletion: true }],
        },
        stringData: { k: 'v' },
      },
    });
  }
  const secretExists = async (name: string) => {
    try {
      await core.readNamespacedSecret({ name, namespace: 'default' });
      return true;
    } catch {
      return false;
    }
  };

  it('deletes dependents in the background after the owner is gone', async () => {
    const owner = await w.create(widget('gc-owner'));
    await ownedSecret('gc-dependent', owner);
    await w.delete('gc-owner');
    await eventually(async () => !(await secretExists('gc-dependent')));
  });

  it('orphans dependents with propagationPolicy=Orphan', async () => {
    const owner = await w.create(widget('gc-orphan-owner'));
    await ownedSecret('gc-orphan', owner);
    await w.delete('gc-orphan-owner', { propagationPolicy: 'Orphan' });
    await eventually(async () => (await statusOf(w.get('gc-orphan-owner'))).code === 404);
    const secret = await core.readNamespacedSecret({ name: 'gc-orphan', namespace: 'default' });
    expect(secret.metadata?.ownerReferences).toBeUndefined();
  });

  it('deletes dependents first with propagationPolicy=Foreground', async () => {
    const owner = await w.create(widget('gc-fg-owner'));
    await ownedSecret('gc-fg', owner);
    const marked = await w.delete('gc-fg-owner', { propagationPolicy: 'Foreground' });
    expect(marked.metadata.finalizers).toEqual(['foregroundDeletion']);
    await eventually(async () => !(await secretExists('gc-fg')) && (await statusOf(w.get('gc-fg-owner'))).code === 404);
  });
});

describe('namespaces', () => {
  it('deletes a namespace with its contents (Terminating first)', async () => {
    await core.createNamespace({ body: { metadata: { name: 'doomed' } } });
    const inDoomed = widgets(server.kubeConfig(), 'doomed');
    await inDoomed.create(widget('in-doomed'));
    const terminating = await core.deleteNamespace({ name: 'doomed' });
    expect((terminating as Obj).status?.phase).toBe('Terminating');
    await eventually(async () => {
      try {
        await core.readNamespace({ name: 'doomed' });
        return false;
      } catch {
        return true;
      }
    });
    expect(server.store.list('test.example.io', 'widgets', 'doomed')).toEqual([]);
  });

  it('refuses to delete default', async () => {
    const { code, body } = await statusOf(core.deleteNamespace({ name: 'default' }));
    expect(code).toBe(403);
    expect(body.message).toBe('namespaces "default" is forbidden: this namespace may not be deleted');
  });
});
