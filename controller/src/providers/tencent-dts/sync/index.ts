/** Tencent Cloud DTS 2021-12-06 sync jobs (spec.type: sync). Job IDs look like sync-xxxxxxxx. */
export { DtsSyncAccount, DTS_SYNC_CAPABILITIES } from './account.ts';
export { dtsSyncAccountFactory, makeDtsSyncAccountFactory } from './factory.ts';

/** Job IDs this provider owns, for a router that dispatches observe() by ID. */
export const DTS_SYNC_JOB_ID_PREFIX = 'sync-';
