import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Clock } from '../../engine/src/clock.ts';

export interface IamUser {
  username: string;
  password: string;
  domainName: string;
}

export interface IamAnswer {
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

const TOKEN_VALIDITY_MS = 24 * 60 * 60_000;

/**
 * A fake Huawei IAM for POST /v3/auth/tokens with the password method: the configured user
 * (name, password, account domain) gets a project-scoped token in the X-Subject-Token header
 * (201, body `{token: {expires_at, ...}}`, valid 24 h as IAM's are); anything else the IAM error
 * shape `{error: {code, message, title}}` (400 malformed, 401 wrong name or password). Tokens can
 * be revoked (admin) so clients have to fetch a new one after a 401.
 */
export class IamTokens {
  readonly #user: IamUser | undefined;
  readonly #clock: Clock;
  readonly #tokens = new Map<string, { expiresAt: number; projectId?: string }>();
  /** Tokens issued so far, for tests. */
  issued = 0;

  constructor(user: IamUser | undefined, clock: Clock) {
    this.#user = user;
    this.#clock = clock;
  }

  issue(body: unknown): IamAnswer {
    const auth = (body as { auth?: Record<string, unknown> } | undefined)?.auth;
    const identity = auth?.identity as { methods?: unknown; password?: { user?: { name?: unknown; password?: unknown; domain?: { name?: unknown } } } } | undefined;
    const user = identity?.password?.user;
    if (!Array.isArray(identity?.methods) || !identity.methods.includes('password') || typeof user?.name !== 'string' || typeof user.password !== 'string') {
      return iamError(400, 'Bad Request', 'The request body must be auth.identity with methods ["password"] and password.user {name, password, domain}.');
    }
    const expected = this.#user;
    const domain = user.domain?.name;
    if (!expected || user.name !== expected.username || domain !== expected.domainName || !same(user.password, expected.password)) {
      return iamError(401, 'Unauthorized', 'The username or password is wrong.');
    }
    const project = (auth?.scope as { project?: { id?: unknown; name?: unknown } } | undefined)?.project;
    const projectId = typeof project?.id === 'string' ? project.id : undefined;
    const now = this.#clock.now();
    const token = `MIIsim${randomBytes(24).toString('base64url')}`;
    const expiresAt = now + TOKEN_VALIDITY_MS;
    this.#tokens.set(token, { expiresAt, ...(projectId ? { projectId } : {}) });
    this.issued += 1;
    return {
      status: 201,
      headers: { 'X-Subject-Token': token },
      body: {
        token: {
          expires_at: new Date(expiresAt).toISOString(),
          issued_at: new Date(now).toISOString(),
          methods: ['password'],
          user: { name: expected.username, domain: { name: expected.domainName } },
          ...(project ? { project: { ...(projectId ? { id: projectId } : {}), ...(typeof project.name === 'string' ? { name: project.name } : {}) } } : {}),
        },
      },
    };
  }

  /** Why a token is refused, or undefined when it is valid for the project. */
  refusal(token: string, projectId: string): string | undefined {
    const known = this.#tokens.get(token);
    if (!known) return 'the token is invalid or was revoked';
    if (known.expiresAt <= this.#clock.now()) return 'the token has expired';
    if (known.projectId !== undefined && known.projectId !== projectId) return 'the token is scoped to another project';
    return undefined;
  }

  /** Admin: every issued token stops working (clients see 401 and must fetch a new one). */
  revokeAll(): number {
    const count = this.#tokens.size;
    this.#tokens.clear();
    return count;
  }
}

function iamError(code: number, title: string, message: string): IamAnswer {
  return { status: code, headers: {}, body: { error: { code, title, message } } };
}

function same(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}
