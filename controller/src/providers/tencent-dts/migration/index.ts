/** The tencent-dts provider's migration half (DTS 2021-12-06 migration jobs, IDs dts-…). */
export { DtsMigrationAccount, DTS_MIGRATION_CAPABILITIES } from './account.ts';
export { dtsMigrationAccountFactory } from './factory.ts';
/** Job IDs of this API start with this prefix (sync jobs: sync-…): a router sends observe() by it. */
export const DTS_MIGRATION_JOB_PREFIX = 'dts-';
