import type { Clock } from '../../clock.ts';
import type { JsonHttpClient, OutgoingRequest } from '../http/http-client.ts';
import { IamTokenSource } from './iam-token.ts';
import { signRequest } from './signer.ts';

/**
 * How the operator authenticates to a Huawei Cloud API (DRS, GaussDB(for MySQL) ClickHouse
 * replication …): AK/SK request signing, or an IAM user's token. The API gateway in front of
 * every service checks both the same way.
 */
export type HuaweiAuthConfig =
  | { kind: 'aksk'; accessKey: string; secretKey: string; securityToken?: string }
  | { kind: 'token'; iamEndpoint: string; username: string; password: string; domainName: string; projectName?: string };

/**
 * Adds authentication to each request. `sign` sees the exact request (headers already
 * including X-Project-Id and content-type, and the serialized body) and returns the headers to
 * add; `unauthorized` is told when the API answered 401 to a request carrying those headers and
 * says whether retrying with fresh credentials can help.
 */
export interface HuaweiAuth {
  readonly kind: HuaweiAuthConfig['kind'];
  sign(req: OutgoingRequest): Promise<Record<string, string>>;
  unauthorized(sentHeaders: Record<string, string>): boolean;
}

/** `provider` names the service in IAM errors; `iamHttp` sends the token calls. */
export function createHuaweiAuth(config: HuaweiAuthConfig, deps: { projectId: string; iamHttp: JsonHttpClient; clock: Clock; provider: string }): HuaweiAuth {
  if (config.kind === 'aksk') {
    const credentials = config.securityToken === undefined
      ? { accessKey: config.accessKey, secretKey: config.secretKey }
      : { accessKey: config.accessKey, secretKey: config.secretKey, securityToken: config.securityToken };
    return {
      kind: 'aksk',
      // A fresh X-Sdk-Date per attempt: the gateway refuses signatures older than ~15 minutes.
      sign: async (req) => signRequest(req, credentials, new Date(deps.clock.now())),
      // A refused signature stays refused: wrong keys need a Secret change.
      unauthorized: () => false,
    };
  }
  const iam = {
    iamEndpoint: config.iamEndpoint,
    username: config.username,
    password: config.password,
    domainName: config.domainName,
    projectId: deps.projectId,
    ...(config.projectName === undefined ? {} : { projectName: config.projectName }),
  };
  const tokens = new IamTokenSource(iam, deps.iamHttp, deps.clock, { provider: deps.provider });
  return {
    kind: 'token',
    sign: async () => ({ 'X-Auth-Token': await tokens.token() }),
    unauthorized: (sentHeaders) => {
      const used = sentHeaders['X-Auth-Token'];
      if (used !== undefined) tokens.invalidate(used);
      return true;
    },
  };
}
