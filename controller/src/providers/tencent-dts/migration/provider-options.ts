import { z } from 'zod';
import { providerOptionsParser } from '../../provider-options.ts';
import { SPEC_ACCESS_TYPES } from './api-types.ts';

/**
 * spec.providerOptions keys the tencent-dts migration provider reads, for DTS fields the common
 * spec does not model. Documented in docs/providers/tencent-dts-migration.md; anything else is
 * refused with this list.
 */
export const DtsMigrationOptions = z
  .object({
    sourceAccessType: z.enum(SPEC_ACCESS_TYPES).describe('SrcInfo.AccessType. Default: cdb when source.instanceId is set, extranet otherwise.'),
    targetAccessType: z.enum(SPEC_ACCESS_TYPES).describe('DstInfo.AccessType. Default: cdb when target.instanceId is set, extranet otherwise.'),
    expectRunTime: z
      .string()
      .regex(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, 'use "YYYY-MM-DD hh:mm:ss" (Beijing time)')
      .describe('Start the migration at this time (RunMode timed) instead of at once.'),
    stopMode: z
      .enum(['complete', 'abort'])
      .describe('What spec.state: Stopped does to a full-and-incremental migration: complete (default) waits until it caught up (readyComplete) and calls CompleteMigrateJob; abort calls StopMigrateJob at once.'),
    migrateAccount: z.boolean().describe('MigrateOption.IsMigrateAccount: migrate database accounts too.'),
    targetReadOnly: z.boolean().describe('MigrateOption.IsDstReadOnly: make the target read-only during the migration (MySQL).'),
    resumeOption: z
      .enum(['normal', 'clearData', 'overwrite'])
      .describe('ResumeMigrateJob ResumeOption used when a failed job is retried. Default: normal.'),
  })
  .partial()
  .strict();

export type DtsMigrationOptions = z.infer<typeof DtsMigrationOptions>;

/** The options, or the problems (each naming the key and what is accepted). */
export const parseDtsMigrationOptions = providerOptionsParser(DtsMigrationOptions, 'providerOptions');
