import { z } from 'zod';
import { DNS_LABEL, conditionList, duration, objectName } from './common.ts';

/**
 * ProviderConfig (namespaced) and ClusterProviderConfig (cluster-scoped): one provider
 * account. Every ReplicationJob names one through spec.providerRef. One poller and one rate
 * limiter serve all jobs of an account.
 */

export const PROVIDER_IDS = ['huawei-drs', 'tencent-dts', 'tencent-dts-legacy', 'tencent-cdb', 'huawei-clickhouse', 'local'] as const;
export type ProviderId = (typeof PROVIDER_IDS)[number];

/** ProviderConfig spec.providerOptions keys each provider reads; any other key is refused by name. */
export const ACCOUNT_OPTION_KEYS: Readonly<Record<ProviderId, readonly string[]>> = {
  'huawei-drs': [],
  'tencent-dts': [],
  'tencent-dts-legacy': [],
  'tencent-cdb': ['signatureMethod'],
  'huawei-clickhouse': [],
  local: [],
};

/** What is wrong with spec.providerOptions for this provider, or undefined when nothing is. */
export function accountOptionsProblem(spec: { provider: ProviderId; providerOptions?: Record<string, unknown> | undefined }): string | undefined {
  const allowed = ACCOUNT_OPTION_KEYS[spec.provider];
  const unknown = Object.keys(spec.providerOptions ?? {}).filter((k) => !allowed.includes(k));
  if (unknown.length === 0) return undefined;
  const reads = allowed.length > 0 ? `it reads only ${allowed.join(', ')}` : 'it reads none';
  return `spec.providerOptions has keys ${spec.provider} does not know (${unknown.join(', ')}); ${reads}`;
}

const credentialsDescription =
  'Secret with the account credentials. Keys by provider: huawei-drs / huawei-clickhouse / local: accessKey + secretKey (AK/SK signing), ' +
  'or username + password + domainName (IAM token); tencent-*: secretId + secretKey. An optional securityToken key holds a temporary-credential token.';

const providerConfigFields = {
  provider: z
    .enum(PROVIDER_IDS)
    .describe(
      'Which replication API this account talks to: huawei-drs (Huawei Cloud DRS v3), tencent-dts (Tencent DTS 2021-12-06 sync and migration jobs), ' +
        'tencent-dts-legacy (Tencent DTS 2018-03-30 migrate jobs), tencent-cdb (Tencent CDB v2 data-sync tasks), huawei-clickhouse (GaussDB(for MySQL) → ClickHouse replication), ' +
        'local (the built-in PostgreSQL engine). What each reads from ReplicationJob specs: docs/providers/ in the project.',
    ),
  endpoint: z
    .string()
    .max(512)
    .regex(/^https?:\/\/[^\s]+$/)
    .optional()
    .describe('Base URL of the provider API, overriding the one derived from region (e.g. a private endpoint, or the built-in engine).'),
  iamEndpoint: z
    .string()
    .max(512)
    .regex(/^https?:\/\/[^\s]+$/)
    .optional()
    .describe('Base URL of the IAM service used for token authentication (Huawei). Derived from region when unset.'),
  region: z.string().min(1).max(64).optional().describe('Region of the account, e.g. ap-southeast-1 or ap-guangzhou.'),
  projectId: z.string().min(1).max(64).optional().describe('Project ID (Huawei) the jobs are created in.'),
  requestsPerSecond: z
    .number()
    .min(0.1)
    .max(1000)
    .optional()
    .describe('Client-side rate limit for calls to this account. Default: 20 (the provider limit per account is typically 20/s).'),
  pollIntervals: z
    .object({
      active: duration('Poll interval while any job of the account is changing state. Default: 10s.').optional(),
      steady: duration('Poll interval while all jobs are steady (replicating, paused, stopped). Default: 60s.').optional(),
    })
    .optional()
    .describe('How often the account poller refreshes job status.'),
  providerOptions: z
    .record(z.string(), z.unknown())
    .optional()
    .meta({
      description:
        'Provider-specific account settings. tencent-cdb: signatureMethod (HmacSHA256, the default, or HmacSHA1) for API v2 request signing. ' +
        'Other providers read none. Unknown keys make the config invalid (named in its Ready condition).',
      'x-kubernetes-preserve-unknown-fields': true,
    }),
};

export const ProviderConfigSpec = z
  .object({
    ...providerConfigFields,
    credentialsSecretRef: z
      .object({ name: objectName('Name of the Secret, in the same namespace as this ProviderConfig.') })
      .optional()
      .describe(`${credentialsDescription} The local provider needs none unless its engine requires signing.`),
  })
  .describe('A provider account usable by ReplicationJobs in this namespace.');

export const ClusterProviderConfigSpec = z
  .object({
    ...providerConfigFields,
    credentialsSecretRef: z
      .object({
        name: objectName('Name of the Secret.'),
        namespace: z.string().min(1).max(63).regex(DNS_LABEL).describe('Namespace of the Secret (cluster-scoped configs must say where it is).'),
      })
      .optional()
      .describe(credentialsDescription),
    allowedNamespaces: z
      .array(z.string().min(1).max(63).regex(DNS_LABEL))
      .max(1000)
      .optional()
      .describe('Namespaces whose ReplicationJobs may use this account. Omitted or empty: every namespace.'),
  })
  .describe('A provider account usable by ReplicationJobs in any (allowed) namespace.');

export const ProviderConfigStatus = z
  .object({
    observedGeneration: z.number().int().min(0).optional().describe('The metadata.generation this status was written for.'),
    conditions: conditionList('Ready: the configuration and its credentials Secret are valid.'),
  })
  .describe('Observed state, written by the operator.');

export type ProviderConfigSpec = z.infer<typeof ProviderConfigSpec>;
export type ClusterProviderConfigSpec = z.infer<typeof ClusterProviderConfigSpec>;
export type ProviderConfigStatus = z.infer<typeof ProviderConfigStatus>;
