import type { HuaweiRoute } from '../huawei/endpoints.ts';

/**
 * Method and path of every DRS v3 operation the operator uses (OpenAPI reference section in
 * brackets). Paths are relative to the regional endpoint; the client fills in {project_id}.
 * The operation name doubles as the metrics label.
 */
export const DRS_ENDPOINTS = {
  /** [4.1.1] */
  'batch-creation': { method: 'POST', path: '/v3/{project_id}/jobs/batch-creation' },
  /** [4.1.2] */
  'batch-connection': { method: 'POST', path: '/v3/{project_id}/jobs/batch-connection' },
  /** [4.1.4] */
  'batch-modification': { method: 'PUT', path: '/v3/{project_id}/jobs/batch-modification' },
  /** [4.1.5] */
  'batch-select-objects': { method: 'PUT', path: '/v3/{project_id}/jobs/batch-select-objects' },
  /** [4.3.2] */
  'batch-sync-policy': { method: 'POST', path: '/v3/{project_id}/jobs/batch-sync-policy' },
  /** [4.1.8] */
  'batch-limit-speed': { method: 'PUT', path: '/v3/{project_id}/jobs/batch-limit-speed' },
  /** [4.1.6] */
  'batch-precheck': { method: 'POST', path: '/v3/{project_id}/jobs/batch-precheck' },
  /** [4.1.7] */
  'batch-precheck-result': { method: 'POST', path: '/v3/{project_id}/jobs/batch-precheck-result' },
  /** [4.1.11] */
  'batch-starting': { method: 'POST', path: '/v3/{project_id}/jobs/batch-starting' },
  /** [4.1.12] */
  'batch-retry-task': { method: 'POST', path: '/v3/{project_id}/jobs/batch-retry-task' },
  /** [4.1.13] */
  'batch-pause-task': { method: 'POST', path: '/v3/{project_id}/jobs/batch-pause-task' },
  /** [4.1.14] DELETE with a JSON body. */
  'batch-jobs': { method: 'DELETE', path: '/v3/{project_id}/jobs/batch-jobs' },
  /** [4.1.15] */
  'batch-modify-pwd': { method: 'PUT', path: '/v3/{project_id}/jobs/batch-modify-pwd' },
  /** [4.1.22] */
  'batch-status': { method: 'POST', path: '/v3/{project_id}/jobs/batch-status' },
  /** [4.1.21] */
  'batch-detail': { method: 'POST', path: '/v3/{project_id}/jobs/batch-detail' },
  /** [4.1.19] */
  'batch-progress': { method: 'POST', path: '/v3/{project_id}/jobs/batch-progress' },
  /** [4.1.20] List (query) the tenant's jobs. */
  'list-jobs': { method: 'POST', path: '/v3/{project_id}/jobs' },
} as const satisfies Record<string, HuaweiRoute>;

export type DrsOperation = keyof typeof DRS_ENDPOINTS;
