import type { Clock } from '../../clock.ts';
import { ProviderHttpError, kindForHttpStatus } from '../http/errors.ts';
import type { JsonHttpClient } from '../http/http-client.ts';

/** IAM's token call (POST, unauthenticated): the token comes back in X-Subject-Token. */
export const IAM_TOKEN_PATH = '/v3/auth/tokens';
/** The operation name of that call in metrics, errors and the simulators' call counts. */
export const IAM_TOKEN_OPERATION = 'iam-token';

export interface IamPasswordCredentials {
  /** IAM base URL, e.g. https://iam.ap-southeast-1.myhuaweicloud.com */
  iamEndpoint: string;
  username: string;
  password: string;
  /** Account (domain) name the IAM user belongs to. */
  domainName: string;
  /** Scope the token to this project by name; otherwise by projectId. */
  projectName?: string;
  projectId: string;
}

export interface IamTokenSourceOptions {
  /** Provider id named in errors (huawei-drs, huawei-clickhouse …). */
  provider: string;
  /** Refresh this long before expires_at. Default 5 minutes. */
  refreshBeforeMs?: number;
  /** Validity assumed when IAM's answer carries no readable expires_at. Default 1 hour. */
  fallbackValidityMs?: number;
}

/**
 * A project-scoped IAM token (password method), cached until shortly before it expires. Callers
 * that arrive while a token is being fetched share that one request. After a 401 the caller
 * invalidates the token it used, and the next token() fetches a fresh one.
 */
export class IamTokenSource {
  readonly #credentials: IamPasswordCredentials;
  readonly #http: JsonHttpClient;
  readonly #clock: Clock;
  readonly #refreshBeforeMs: number;
  readonly #fallbackValidityMs: number;
  readonly #provider: string;
  #cached: { token: string; refreshAt: number } | undefined;
  #inflight: Promise<string> | undefined;

  constructor(credentials: IamPasswordCredentials, http: JsonHttpClient, clock: Clock, options: IamTokenSourceOptions) {
    this.#credentials = credentials;
    this.#http = http;
    this.#clock = clock;
    this.#refreshBeforeMs = options.refreshBeforeMs ?? 5 * 60_000;
    this.#fallbackValidityMs = options.fallbackValidityMs ?? 60 * 60_000;
    this.#provider = options.provider;
  }

  async token(): Promise<string> {
    if (this.#cached && this.#clock.now() < this.#cached.refreshAt) return this.#cached.token;
    this.#inflight ??= this.#fetch().finally(() => {
      this.#inflight = undefined;
    });
    return this.#inflight;
  }

  /** Drops the cached token if it is the one that was refused (a newer one stays). */
  invalidate(token: string): void {
    if (this.#cached?.token === token) this.#cached = undefined;
  }

  async #fetch(): Promise<string> {
    const { iamEndpoint, username, password, domainName, projectName, projectId } = this.#credentials;
    const response = await this.#http.send({
      operation: IAM_TOKEN_OPERATION,
      method: 'POST',
      url: `${iamEndpoint.replace(/\/+$/, '')}${IAM_TOKEN_PATH}`,
      json: {
        auth: {
          identity: { methods: ['password'], password: { user: { name: username, password, domain: { name: domainName } } } },
          scope: { project: projectName ? { name: projectName } : { id: projectId } },
        },
      },
      sign: null,
    });
    const token = response.headers['x-subject-token'];
    if (response.status < 200 || response.status >= 300 || !token) {
      throw this.#failure(response.status, response.json, token === undefined && response.status < 300);
    }
    const expiresAt = readExpiresAt(response.json);
    const now = this.#clock.now();
    const validUntil = expiresAt ?? now + this.#fallbackValidityMs;
    // Never cache below zero lifetime: an already-expiring token is used once, then refetched.
    this.#cached = { token, refreshAt: Math.max(now, validUntil - this.#refreshBeforeMs) };
    return token;
  }

  #failure(status: number, json: unknown, missingToken: boolean): ProviderHttpError {
    if (missingToken) {
      return new ProviderHttpError({ provider: this.#provider, operation: IAM_TOKEN_OPERATION, kind: 'unavailable', status, detail: 'IAM answered without an X-Subject-Token header' });
    }
    // IAM rejects bad names and passwords with 400 or 401: either way, fix the credentials.
    const kind = status === 400 ? 'auth' : kindForHttpStatus(status);
    const init: ConstructorParameters<typeof ProviderHttpError>[0] = { provider: this.#provider, operation: IAM_TOKEN_OPERATION, kind, status };
    const { code, message } = readIamError(json);
    if (code) init.code = code;
    if (message) init.providerMessage = message;
    return new ProviderHttpError(init);
  }
}

function readExpiresAt(json: unknown): number | undefined {
  const expires = (json as { token?: { expires_at?: unknown } } | undefined)?.token?.expires_at;
  if (typeof expires !== 'string') return undefined;
  const ms = Date.parse(expires);
  return Number.isNaN(ms) ? undefined : ms;
}

/** IAM errors come as {"error": {"code", "message", "title"}} or as {"error_code", "error_msg"}. */
function readIamError(json: unknown): { code?: string; message?: string } {
  if (typeof json !== 'object' || json === null) return {};
  const body = json as Record<string, unknown>;
  const nested = body.error as Record<string, unknown> | undefined;
  const code = typeof body.error_code === 'string' ? body.error_code : nested && nested.code !== undefined ? String(nested.code) : undefined;
  const message = typeof body.error_msg === 'string' ? body.error_msg : typeof nested?.message === 'string' ? nested.message : undefined;
  const out: { code?: string; message?: string } = {};
  if (code) out.code = code;
  if (message) out.message = message;
  return out;
}
