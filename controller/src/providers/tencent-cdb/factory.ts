import { systemClock } from '../../clock.ts';
import { accountPollIntervals } from '../polling/poll-intervals.ts';
import { terminalError } from '../../reconcile/errors.ts';
import type { AccountConfig, ProviderFactory } from '../../reconcile/provider-accounts.ts';
import { CdbAccount } from './account.ts';
import { CdbClient } from './client.ts';
import { parseCdbAccountOptions } from './provider-options.ts';

export const CDB_DEFAULT_ENDPOINT = 'https://cdb.api.qcloud.com';
const DEFAULT_RPS = 20;

/**
 * ProviderConfig → CdbAccount. Credentials Secret: secretId + secretKey (+ securityToken for
 * temporary credentials). spec.region is required (the master instances' region, the Region of
 * every call); spec.endpoint overrides https://cdb.api.qcloud.com. The API v2 SignatureMethod
 * comes from the ProviderConfig's providerOptions.signatureMethod.
 */
export const cdbAccountFactory: ProviderFactory = (config: AccountConfig) => {
  const { spec, credentials, hooks } = config;
  if (!spec.region) throw terminalError('InvalidProviderConfig', `${config.key} needs spec.region: the region of the CDB master instances (e.g. ap-guangzhou)`);
  if (!credentials.secretId || !credentials.secretKey) {
    throw terminalError('InvalidCredentials', `The credentials Secret of ${config.key} needs the keys secretId and secretKey (and securityToken for temporary credentials)`);
  }
  const { options, problems } = parseCdbAccountOptions(spec.providerOptions);
  if (problems.length > 0) throw terminalError('InvalidProviderConfig', `${config.key} is invalid: ${problems.join('; ')}`);
  const rps = spec.requestsPerSecond ?? DEFAULT_RPS;
  const client = new CdbClient({
    endpoint: spec.endpoint ?? CDB_DEFAULT_ENDPOINT,
    region: spec.region,
    credentials: {
      secretId: credentials.secretId,
      secretKey: credentials.secretKey,
      ...(credentials.securityToken ? { token: credentials.securityToken } : {}),
    },
    ...(options.signatureMethod ? { signatureMethod: options.signatureMethod } : {}),
    requestsPerSecond: rps,
    ...(hooks.onRequest ? { onRequest: hooks.onRequest } : {}),
  });
  return new CdbAccount({
    client,
    region: spec.region,
    pollIntervals: accountPollIntervals(spec, hooks),
    requestsPerSecond: rps,
    clock: systemClock,
    onPollStretched: () => hooks.onPollStretched?.('tencent-cdb'),
    ...(hooks.log ? { log: hooks.log } : {}),
  });
};
