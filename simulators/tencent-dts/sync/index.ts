export { dtsSyncApi } from './api.ts';
export { startDtsSyncSimulator } from './server.ts';
export { CHECK_STEPS, type CheckOutcome } from './check-steps.ts';
export type { SimSyncJob } from './model.ts';
