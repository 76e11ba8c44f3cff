import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig } from '../../reconcile/provider-accounts.ts';

/** Tencent Cloud API credentials, as both signers (TC3 and v2) take them. */
export interface TencentCredentials {
  secretId: string;
  secretKey: string;
  /** Temporary credentials only. */
  token?: string;
}

/**
 * The credentials of a Tencent provider's ProviderConfig, from its Secret: secretId + secretKey,
 * plus securityToken for temporary credentials. Throws a terminal error naming the keys when
 * either is missing.
 */
export function tencentCredentials(config: AccountConfig): TencentCredentials {
  const { secretId, secretKey, securityToken } = config.credentials;
  if (!secretId || !secretKey) {
    throw terminalError('InvalidCredentials', `The credentials Secret of ${config.key} needs the keys secretId and secretKey (and securityToken for temporary credentials)`);
  }
  return { secretId, secretKey, ...(securityToken ? { token: securityToken } : {}) };
}
