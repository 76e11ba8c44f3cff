/** The API group and version every drs-operator resource lives in. */
export const API_GROUP = 'replication.drs-operator.io';
export const API_VERSION = 'v1alpha1';
export const API_GROUP_VERSION = `${API_GROUP}/${API_VERSION}`;

/** Names used in CRDs, RBAC, informers and the API test server. */
export const KINDS = {
  ReplicationJob: { kind: 'ReplicationJob', plural: 'replicationjobs', singular: 'replicationjob', shortNames: ['rj'], namespaced: true },
  ProviderConfig: { kind: 'ProviderConfig', plural: 'providerconfigs', singular: 'providerconfig', shortNames: ['pc'], namespaced: true },
  ClusterProviderConfig: {
    kind: 'ClusterProviderConfig',
    plural: 'clusterproviderconfigs',
    singular: 'clusterproviderconfig',
    shortNames: ['cpc'],
    namespaced: false,
  },
} as const;

export type KindName = keyof typeof KINDS;

/** Category shared by all our resources: `kubectl get drs` lists them together. */
export const CATEGORY = 'drs';

/** Finalizer the controller puts on a ReplicationJob before it calls any provider. */
export const FINALIZER = 'replication.drs-operator.io/finalizer';

/** Annotations the controller reads or writes (never spec). */
export const ANNOTATIONS = {
  /** Set by users: while present and "true", the controller does nothing to this object. */
  paused: 'replication.drs-operator.io/paused',
  /** Set by users to any new value to request an immediate reconcile (e.g. a timestamp). */
  reconcileRequest: 'replication.drs-operator.io/reconcile-request',
  /** Written (optimistically locked) right before the provider create call. */
  createPending: 'replication.drs-operator.io/create-pending',
  /** Written right after a create call succeeded. */
  createSucceeded: 'replication.drs-operator.io/create-succeeded',
  /** Written right after a create call failed without creating anything. */
  createFailed: 'replication.drs-operator.io/create-failed',
} as const;
