import { describe, expect, it } from 'vitest';
import { ClusterProviderConfigSpec, ReplicationJobSpec } from '../../../controller/src/api/index.ts';

const valid = {
  providerRef: { kind: 'ProviderConfig', name: 'huawei-prod' },
  type: 'sync',
  engine: 'mysql',
  direction: 'up',
  mode: 'fullAndIncremental',
  network: { type: 'eip' },
  source: { host: '203.0.113.10', port: 3306, user: 'repl', passwordSecretRef: { name: 'orders-db', key: 'password' } },
  target: { instanceId: 'e05a3679efe241d8b5dee80b17c1a863in01', region: 'ap-southeast-1', user: 'root' },
  objects: { databases: [{ name: 'orders', tables: ['orders', 'order_items'] }] },
  syncPolicy: { conflict: 'overwrite' },
  speedLimits: [{ begin: '16:00', end: '23:59', speedMBps: 50 }],
  state: 'Running',
  deletionPolicy: 'Delete',
};

describe('ReplicationJobSpec', () => {
  it('accepts the example from DESIGN.md unchanged', () => {
    const parsed = ReplicationJobSpec.parse(valid);
    expect(parsed.source.passwordSecretRef).toEqual({ name: 'orders-db', key: 'password' });
    expect(parsed.state).toBe('Running');
  });

  it('adds no defaults: an unset state stays unset (Running is decided in code)', () => {
    const { state: _state, deletionPolicy: _policy, ...rest } = valid;
    const parsed = ReplicationJobSpec.parse(rest);
    expect(parsed.state).toBeUndefined();
    expect(parsed.deletionPolicy).toBeUndefined();
  });

  it.each([
    ['an unknown type', { type: 'replicate' }, 'type'],
    ['a port out of range', { source: { ...valid.source, port: 70000 } }, 'source.port'],
    ['a speed limit in the wrong time format', { speedLimits: [{ begin: '4pm', end: '23:59', speedMBps: 5 }] }, 'speedLimits.0.begin'],
    ['a forbidden character in description', { description: 'a <b>' }, 'description'],
    ['a provider kind that does not exist', { providerRef: { kind: 'Account', name: 'x' } }, 'providerRef.kind'],
  ])('rejects %s and names the field', (_what, patch, path) => {
    const result = ReplicationJobSpec.safeParse({ ...valid, ...patch });
    expect(result.success).toBe(false);
    expect(result.error!.issues.map((i) => i.path.join('.'))).toContain(path);
  });
});

describe('ClusterProviderConfigSpec', () => {
  it('requires the namespace of the credentials Secret', () => {
    const result = ClusterProviderConfigSpec.safeParse({ provider: 'huawei-drs', credentialsSecretRef: { name: 'aksk' } });
    expect(result.success).toBe(false);
    expect(result.error!.issues[0]!.path.join('.')).toBe('credentialsSecretRef.namespace');
  });
});
