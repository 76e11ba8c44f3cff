export * from './group.ts';
export * from './common.ts';
export * from './phase.ts';
export * from './replication-job-spec.ts';
export * from './replication-job-status.ts';
export * from './provider-config.ts';
export * from './resources.ts';
