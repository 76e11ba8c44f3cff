/** The DTS 2021-12-06 migration half of the tencent-dts simulator. */
export { dtsMigrationApi } from './api.ts';
export { startDtsMigrationSimulator } from './server.ts';
