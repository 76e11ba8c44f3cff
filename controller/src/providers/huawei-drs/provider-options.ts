import { z } from 'zod';
import { providerOptionsParser } from '../provider-options.ts';

/**
 * spec.providerOptions keys huawei-drs (and the built-in engine) read, for DRS fields the common
 * spec does not model. Documented in README; anything else is refused with this list.
 */
export const DrsProviderOptions = z
  .object({
    isTargetReadonly: z.boolean().describe('batch-creation is_target_readonly (MySQL targets, DR standby).'),
    multiWrite: z.boolean().describe('batch-creation multi_write (disasterRecovery: dual-active).'),
    expiredDays: z.number().int().min(14).max(100).describe('batch-creation expired_days: stop an abnormal job after this many days.'),
    nodeNum: z.number().int().min(1).max(32).describe('batch-creation node_num (MongoDB source shards).'),
    openFastClean: z.boolean().describe('batch-creation is_open_fast_clean (binlog fast clean).'),
    enterpriseProjectId: z.string().min(1).describe('batch-creation sys_tags _sys_enterprise_project_id.'),
    replaceDefiner: z.boolean().describe('batch-modification replace_definer (MySQL). Default false.'),
    pauseMode: z.enum(['target', 'all']).describe('batch-pause-task pause_mode. Default all (stop reading and writing).'),
    slotName: z.string().min(1).describe('batch-sync-policy slot_name (PostgreSQL incremental source).'),
    fileAndPosition: z.string().min(1).max(100).describe('batch-sync-policy file_and_position (MySQL/MongoDB incremental start point).'),
    gtidSet: z.string().min(1).max(2048).describe('batch-sync-policy gtid_set (MySQL incremental start point).'),
    exportSnapshot: z.boolean().describe('batch-sync-policy export_snapshot (PostgreSQL full phase).'),
    fillMaterializedView: z.boolean().describe('batch-sync-policy is_fill_materialized_view (PostgreSQL).'),
  })
  .partial()
  .strict();

export type DrsProviderOptions = z.infer<typeof DrsProviderOptions>;

/** The options, or the problems (each naming the key and what is accepted). */
export const parseDrsProviderOptions = providerOptionsParser(DrsProviderOptions, 'providerOptions');
