import type { HttpMethod } from '../http/http-client.ts';

/** Where one operation of a Huawei Cloud REST API goes: method and path template ({project_id}, …). */
export interface HuaweiRoute {
  method: HttpMethod;
  path: string;
}

/** The usual regional endpoint of a Huawei Cloud service: https://<service>.<region>.myhuaweicloud.com */
export function regionalEndpoint(service: string, region: string): string {
  return `https://${service}.${region}.myhuaweicloud.com`;
}

/**
 * Absolute URL of an API path: the endpoint (any trailing slash ignored), the path with each
 * {name} replaced by its percent-encoded value, and the query, if any. A placeholder without a
 * value is a programming error.
 */
export function huaweiApiUrl(endpoint: string, path: string, values: Readonly<Record<string, string | undefined>>, query: Readonly<Record<string, string>> = {}): string {
  const filled = path.replace(/\{(\w+)\}/g, (_, name: string) => {
    const value = values[name];
    if (value === undefined) throw new Error(`${path} needs a value for {${name}}`);
    return encodeURIComponent(value);
  });
  const base = `${endpoint.replace(/\/+$/, '')}${filled}`;
  const search = new URLSearchParams(query).toString();
  return search === '' ? base : `${base}?${search}`;
}
