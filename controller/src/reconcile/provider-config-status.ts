import { ClusterProviderConfigSpec, ProviderConfigSpec, accountOptionsProblem, type ProviderConfigStatus } from '../api/provider-config.ts';
import { CONDITION_TYPES } from '../api/phase.ts';
import { setCondition } from './conditions.ts';

/** Credential keys each provider reads; any one complete set is enough. */
const CREDENTIAL_SETS: Record<string, string[][]> = {
  'huawei-drs': [['accessKey', 'secretKey'], ['username', 'password', 'domainName']],
  'huawei-clickhouse': [['accessKey', 'secretKey'], ['username', 'password', 'domainName']],
  local: [['accessKey', 'secretKey']],
  'tencent-dts': [['secretId', 'secretKey']],
  'tencent-dts-legacy': [['secretId', 'secretKey']],
  'tencent-cdb': [['secretId', 'secretKey']],
};

export interface ProviderConfigFacts {
  clusterScoped: boolean;
  spec: unknown;
  generation: number;
  /** Keys of the credentials Secret, or undefined when it does not exist. */
  secretKeys: string[] | undefined;
  providerAvailable: (id: string) => boolean;
}

/**
 * Status of a (Cluster)ProviderConfig: Ready when its spec is valid, its provider is in this
 * build, and its credentials Secret exists with a complete set of keys. Pure; the operator
 * writes it so `kubectl get pc` shows what is wrong before any job uses the config.
 */
export function providerConfigStatus(previous: ProviderConfigStatus | undefined, facts: ProviderConfigFacts, now: string): ProviderConfigStatus {
  const verdict = judge(facts);
  return {
    observedGeneration: facts.generation,
    conditions: setCondition(previous?.conditions, { type: CONDITION_TYPES.Ready, status: verdict.ok ? 'True' : 'False', reason: verdict.reason, message: verdict.message }, now, facts.generation),
  };
}

function judge(facts: ProviderConfigFacts): { ok: boolean; reason: string; message: string } {
  const parsed = (facts.clusterScoped ? ClusterProviderConfigSpec : ProviderConfigSpec).safeParse(facts.spec);
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => `spec.${i.path.map(String).join('.')}: ${i.message}`).join('; ');
    return { ok: false, reason: 'InvalidProviderConfig', message: `spec is invalid: ${problems}` };
  }
  const spec = parsed.data;
  const optionsProblem = accountOptionsProblem(spec);
  if (optionsProblem) return { ok: false, reason: 'InvalidProviderConfig', message: optionsProblem };
  if (!facts.providerAvailable(spec.provider)) {
    return { ok: false, reason: 'ProviderUnavailable', message: `provider ${spec.provider} is not included in this operator build` };
  }
  const sets = CREDENTIAL_SETS[spec.provider] ?? [];
  if (!spec.credentialsSecretRef) {
    return spec.provider === 'local'
      ? { ok: true, reason: 'Valid', message: 'Ready to run jobs' }
      : { ok: false, reason: 'CredentialsNotSet', message: `spec.credentialsSecretRef is required for ${spec.provider}` };
  }
  if (facts.secretKeys === undefined) {
    return { ok: false, reason: 'CredentialsNotFound', message: `Secret ${spec.credentialsSecretRef.name} does not exist` };
  }
  const keys = new Set(facts.secretKeys);
  if (sets.length > 0 && !sets.some((set) => set.every((k) => keys.has(k)))) {
    return { ok: false, reason: 'InvalidCredentials', message: `Secret ${spec.credentialsSecretRef.name} needs keys ${sets.map((s) => s.join(' + ')).join(', or ')}` };
  }
  return { ok: true, reason: 'Valid', message: 'Ready to run jobs' };
}
