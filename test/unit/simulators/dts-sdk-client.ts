import { Agent } from 'node:http';
import { CommonClient } from 'tencentcloud-sdk-nodejs-common';

/**
 * The official Tencent SDK (tencentcloud-sdk-nodejs-common) pointed at a simulator as at the real
 * DTS endpoint, for tests proving a simulator accepts what the SDK signs. The SDK derives the
 * signing service from the endpoint's first label and sends the endpoint as Host, so it is given
 * dts.tencentcloudapi.com:PORT with an agent that resolves every name to loopback: the request is
 * exactly what the real endpoint would receive.
 */
export function dtsSdkClient(simulatorUrl: string, version: string, credential: { secretId: string; secretKey: string }, region = 'ap-guangzhou'): CommonClient {
  const agent = new Agent({
    lookup: (_host, opts, cb) => {
      const done = cb as (e: null, a: string | { address: string; family: number }[], f?: number) => void;
      if ((opts as { all?: boolean }).all) done(null, [{ address: '127.0.0.1', family: 4 }]);
      else done(null, '127.0.0.1', 4);
    },
  });
  return new CommonClient('dts.tencentcloudapi.com', version, {
    credential,
    region,
    profile: { httpProfile: { endpoint: `dts.tencentcloudapi.com:${new URL(simulatorUrl).port}`, protocol: 'http://', agent } },
  });
}
