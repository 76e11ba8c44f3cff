/** Values the chart tests render with, besides the defaults: every knob moved off its default. */

export const RELEASE_NAMESPACE = 'drs-system';

export const CUSTOM_VALUES = {
  image: { repository: 'registry.example.com/platform/drs-operator', digest: `sha256:${'ab'.repeat(32)}`, pullPolicy: 'Always' },
  imagePullSecrets: [{ name: 'registry-creds' }],
  replicaCount: 3,
  leaderElection: { enabled: true, leaseName: 'drs-shard-a', leaseDuration: '30s', renewDeadline: '20s', retryPeriod: '4s' },
  watchNamespace: 'orders',
  shardSelector: 'shard=a',
  operator: {
    concurrency: 16,
    logLevel: 'debug',
    defaultPollInterval: '1m',
    resyncPeriod: '30m',
    watchdogTimeout: '10m',
    backoffBase: '2s',
    backoffMax: '10m',
    globalQps: 2.5,
    globalBurst: 20,
  },
  defaultProviderConfig: {
    enabled: true,
    name: 'huawei-prod',
    spec: { provider: 'huawei-drs', region: 'ap-southeast-1', projectId: '054ba152d480d55b2f5dc0069e7ddef0', credentialsSecretRef: { name: 'huawei-aksk' } },
  },
  serviceAccount: { create: true, name: 'replication', annotations: { 'eks.amazonaws.com/role-arn': 'arn:aws:iam::123456789012:role/drs' } },
  metrics: {
    port: 9090,
    service: { enabled: true, type: 'ClusterIP', port: 9090, annotations: {} },
    serviceMonitor: { enabled: true, interval: '15s', scrapeTimeout: '5s', labels: { release: 'kube-prometheus-stack' } },
    prometheusRule: { enabled: true, labels: { release: 'kube-prometheus-stack' }, replicationDelayThresholdSeconds: 120, delayFor: '5m', failedFor: '1m', precheckFailedFor: '30m' },
  },
  health: { port: 9091 },
  resources: { requests: { cpu: '250m', memory: '256Mi' }, limits: { cpu: '1', memory: '1Gi' } },
  podDisruptionBudget: { enabled: true, maxUnavailable: 1 },
  priorityClassName: 'system-cluster-critical',
  podAnnotations: { 'example.com/team': 'data' },
  podLabels: { team: 'data' },
  nodeSelector: { 'kubernetes.io/os': 'linux' },
  tolerations: [{ key: 'dedicated', operator: 'Equal', value: 'infra', effect: 'NoSchedule' }],
};

/** A single replica running the built-in engine, with a claim for its job store. */
export const EMBEDDED_ENGINE_VALUES = {
  replicaCount: 1,
  embeddedEngine: { enabled: true, persistence: { existingClaim: 'drs-engine-data' } },
};
