import { z } from 'zod';
import { providerOptionsParser } from '../provider-options.ts';

/**
 * spec.providerOptions keys tencent-dts-legacy reads: the CreateMigrateJob fields the common
 * spec does not model. Documented in docs/providers/tencent-dts-legacy.md; anything else is
 * refused with this list.
 */
export const SRC_ACCESS_TYPES = ['extranet', 'cvm', 'dcg', 'vpncloud', 'vpnselfbuild', 'cdb'] as const;

const percent = (what: string) => z.number().int().min(1).max(100).describe(what);

export const DtsLegacyProviderOptions = z
  .object({
    srcAccessType: z
      .enum(SRC_ACCESS_TYPES)
      .describe('SrcAccessType. Default: cdb when spec.source has instanceId and no host, extranet otherwise.'),
    cvmInstanceId: z.string().min(1).max(64).describe('SrcInfo.CvmInstanceId (srcAccessType cvm), e.g. ins-olgl39y8.'),
    dcgId: z.string().min(1).max(64).describe('SrcInfo.UniqDcgId (srcAccessType dcg), e.g. dcg-0rxtqqxb.'),
    vpnGatewayId: z.string().min(1).max(64).describe('SrcInfo.UniqVpnGwId (srcAccessType vpncloud), e.g. vpngw-9ghexg7q.'),
    structureOnly: z.boolean().describe('MigrateType 1: copy the schema only (needs spec.mode full).'),
    consistencyCheck: z
      .enum(['none', 'full', 'sample', 'inconsistentTablesOnly'])
      .describe('MigrateOption.ConsistencyType: none 5, full 2, sample 3, inconsistentTablesOnly 4. Unset: 1 (not configured).'),
    consistencySample: z
      .object({
        rowsPercent: percent('ConsistencyParams.SelectRowsPerTable: rows compared per table, %.'),
        tablesPercent: percent('ConsistencyParams.TablesSelectAll: tables whose content is compared, %.'),
        countTablesPercent: percent('ConsistencyParams.TablesSelectCount: tables whose row count is compared, %.'),
      })
      .strict()
      .describe('Sampling parameters, required with consistencyCheck: sample.'),
    overrideRoot: z.boolean().describe('MigrateOption.IsOverrideRoot: overwrite the target root account with the source one (whole-instance full migrations only).'),
    targetReadOnly: z.boolean().describe('DstInfo.ReadOnly: keep the target read-only during the migration (MySQL whole-instance migrations).'),
    externParams: z.record(z.string(), z.unknown()).describe('MigrateOption.ExternParams, sent as JSON (Redis and MongoDB extra parameters).'),
    completeOnStop: z
      .boolean()
      .describe('spec.state Stopped on a job in 8 ReadyComplete: true (default) completes it (CompleteMigrateJob, the cut-over), false cancels it (StopMigrateJob).'),
    completeMode: z.enum(['waitForSync', 'immediately']).describe('CompleteMigrateJob CompleteMode. Default waitForSync (wait until the delay is 0).'),
  })
  .partial()
  .strict();

export type DtsLegacyProviderOptions = z.infer<typeof DtsLegacyProviderOptions>;

/** The options, or the problems (each naming the key and what is accepted). */
export const parseDtsLegacyProviderOptions = providerOptionsParser(DtsLegacyProviderOptions, 'spec.providerOptions');
