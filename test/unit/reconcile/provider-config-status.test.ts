import { describe, expect, it } from 'vitest';
import { providerConfigStatus, type ProviderConfigFacts } from '../../../controller/src/reconcile/provider-config-status.ts';

const NOW = '2027-01-15T08:00:00Z';
const facts = (over: Partial<ProviderConfigFacts>): ProviderConfigFacts => ({
  clusterScoped: false,
  spec: { provider: 'huawei-drs', region: 'ap-southeast-1', projectId: 'p', credentialsSecretRef: { name: 'aksk' } },
  generation: 2,
  secretKeys: ['accessKey', 'secretKey'],
  providerAvailable: () => true,
  ...over,
});
const ready = (f: ProviderConfigFacts) => providerConfigStatus(undefined, f, NOW).conditions![0]!;

describe('providerConfigStatus', () => {
  it.each([
    ['a valid config with AK/SK', facts({}), 'True', 'Valid'],
    ['IAM user credentials', facts({ secretKeys: ['username', 'password', 'domainName'] }), 'True', 'Valid'],
    ['an incomplete key set', facts({ secretKeys: ['accessKey'] }), 'False', 'InvalidCredentials'],
    ['a missing Secret', facts({ secretKeys: undefined }), 'False', 'CredentialsNotFound'],
    ['no credentials for a cloud provider', facts({ spec: { provider: 'tencent-dts' } }), 'False', 'CredentialsNotSet'],
    ['the local engine without credentials', facts({ spec: { provider: 'local' }, secretKeys: undefined }), 'True', 'Valid'],
    ['a provider not in this build', facts({ providerAvailable: () => false }), 'False', 'ProviderUnavailable'],
    ['an invalid spec', facts({ spec: { provider: 'aws-dms' } }), 'False', 'InvalidProviderConfig'],
    ['a cluster config without the Secret namespace', facts({ clusterScoped: true }), 'False', 'InvalidProviderConfig'],
    ['tencent-cdb with its signatureMethod option', facts({ spec: { provider: 'tencent-cdb', region: 'ap-guangzhou', credentialsSecretRef: { name: 'tc' }, providerOptions: { signatureMethod: 'HmacSHA1' } }, secretKeys: ['secretId', 'secretKey'] }), 'True', 'Valid'],
    ['an account option the provider does not read', facts({ spec: { provider: 'huawei-drs', projectId: 'p', credentialsSecretRef: { name: 'aksk' }, providerOptions: { signatureMethod: 'HmacSHA1' } } }), 'False', 'InvalidProviderConfig'],
  ])('%s → Ready=%s (%s)', (_what, f, status, reason) => {
    expect(ready(f)).toMatchObject({ type: 'Ready', status, reason, observedGeneration: 2 });
  });

  it('names the unknown account option and what the provider reads', () => {
    const spec = { provider: 'tencent-cdb', region: 'ap-guangzhou', credentialsSecretRef: { name: 'tc' }, providerOptions: { signatureMethd: 'HmacSHA1' } };
    expect(ready(facts({ spec, secretKeys: ['secretId', 'secretKey'] })).message).toBe(
      'spec.providerOptions has keys tencent-cdb does not know (signatureMethd); it reads only signatureMethod',
    );
  });

  it('names the keys a Secret needs', () => {
    expect(ready(facts({ secretKeys: ['accessKey'] })).message).toBe('Secret aksk needs keys accessKey + secretKey, or username + password + domainName');
  });
});
