import { z } from 'zod';
import { ACCESS_TYPES } from './enums.ts';

/**
 * spec.providerOptions keys the tencent-dts sync provider reads, for DTS fields the common spec
 * does not model. Documented in docs/providers/tencent-dts-sync.md; anything else is refused
 * with this list.
 */
const EndpointOptions = z
  .object({
    accessType: z.enum(ACCESS_TYPES).describe('SrcAccessType / DstAccessType. Default: cdb with instanceId, vpc with network.type vpc, vpncloud with vpn, otherwise extranet.'),
    cvmInstanceId: z.string().min(1).describe('Endpoint CvmInstanceId (accessType cvm).'),
    uniqVpnGwId: z.string().min(1).describe('Endpoint UniqVpnGwId (accessType vpncloud).'),
    uniqDcgId: z.string().min(1).describe('Endpoint UniqDcgId (accessType dcg).'),
    ccnId: z.string().min(1).describe('Endpoint CcnId (accessType ccn).'),
    databaseNetEnv: z.enum(['UserIDC', 'TencentVPC']).describe('Endpoint DatabaseNetEnv (accessType ccn).'),
    engineVersion: z.string().min(1).describe('Endpoint EngineVersion (other clouds\' RDS).'),
    supplier: z.string().min(1).describe('Endpoint Supplier: others (default) or aliyun, aws, ...'),
  })
  .partial()
  .strict();

const RateLimit = z
  .object({
    dumpThread: z.number().int().min(1).max(16).describe('ModifySyncRateLimit DumpThread: full-export threads.'),
    dumpRps: z.number().int().min(1).max(50_000_000).describe('ModifySyncRateLimit DumpRps: full-export rows per second.'),
    loadThread: z.number().int().min(1).max(16).describe('ModifySyncRateLimit LoadThread: full-import threads.'),
    loadRps: z.number().int().min(1).max(50_000_000).describe('ModifySyncRateLimit LoadRps: full-import rows per second.'),
    sinkerThread: z.number().int().min(1).max(128).describe('ModifySyncRateLimit SinkerThread: incremental-apply threads.'),
  })
  .partial()
  .strict()
  .refine((r) => Object.keys(r).length > 0, { message: 'name at least one of dumpThread, dumpRps, loadThread, loadRps, sinkerThread' });

export const DtsSyncProviderOptions = z
  .object({
    payMode: z.enum(['PrePay', 'PostPay']).describe('CreateSyncJob PayMode. Default PostPay.'),
    autoRenew: z.boolean().describe('CreateSyncJob AutoRenew (PrePay only).'),
    timeSpanMonths: z.number().int().min(1).max(100).describe('CreateSyncJob TimeSpan in months (PrePay only).'),
    jobMode: z.enum(['fullMode', 'liteMode']).describe('ConfigureSyncJob JobMode. Default: DTS default (fullMode).'),
    initType: z.enum(['Full', 'Data', 'Structure']).describe('Options.InitType for mode fullAndIncremental. Default Full (structure and data).'),
    dealOfExistSameTable: z.enum(['ReportErrorAfterCheck', 'ExecuteAfterIgnore']).describe('Options.DealOfExistSameTable.'),
    autoRetryTimeRangeMinutes: z
      .number()
      .int()
      .refine((m) => m === 0 || (m >= 5 && m <= 720), { message: 'must be 0 (no automatic retry) or 5-720' })
      .describe('ConfigureSyncJob AutoRetryTimeRangeMinutes.'),
    source: EndpointOptions.describe('Extra SrcInfo fields.'),
    target: EndpointOptions.describe('Extra DstInfo fields.'),
    rateLimit: RateLimit.describe('ModifySyncRateLimit values, set before the job starts.'),
  })
  .partial()
  .strict();

export type DtsSyncProviderOptions = z.infer<typeof DtsSyncProviderOptions>;
export type DtsEndpointOptions = z.infer<typeof EndpointOptions>;
export type DtsRateLimit = z.infer<typeof RateLimit>;

/** The options, or the problems (each naming the key and what is accepted). */
export function parseDtsSyncProviderOptions(raw: Record<string, unknown> | undefined): { options: DtsSyncProviderOptions; problems: string[] } {
  const result = DtsSyncProviderOptions.safeParse(raw ?? {});
  if (result.success) return { options: result.data, problems: [] };
  const problems = result.error.issues.map((issue) => {
    const where = issue.path.map(String).join('.');
    if (issue.code === 'unrecognized_keys') {
      const known = where === '' ? Object.keys(DtsSyncProviderOptions.shape) : where === 'rateLimit' ? Object.keys(RateLimit.shape) : Object.keys(EndpointOptions.shape);
      return `providerOptions${where ? `.${where}` : ''} ${issue.keys.join(', ')} not understood (known: ${known.join(', ')})`;
    }
    return `providerOptions.${where}: ${issue.message}`;
  });
  return { options: {}, problems };
}
