import { messageFor } from '../../drs-errors.ts';
import type { ConnectionTestResult } from '../../executor.ts';

/**
 * What went wrong connecting to PostgreSQL, as the DRS.KE codes batch-connection answers with
 * (seed A.3; the simulated executor uses KE001 for network and KE002 for credentials, and so
 * do we):
 *
 * | what happened                                   | code      | DRS message (short)                  |
 * |-------------------------------------------------|-----------|--------------------------------------|
 * | host unreachable / unknown host / no route      | DRS.KE001 | failed to connect to the network     |
 * | wrong password or unknown user (28P01, 28000)   | DRS.KE002 | username or password incorrect       |
 * | connection refused (nothing listens on the port)| DRS.KE003 | the port cannot be accessed          |
 * | timeout (packets dropped: firewall, sec. group) | DRS.KE004 | check security group/firewall/SSL    |
 * | no pg_hba.conf entry for the host/user          | DRS.KE006 | remote access not in pg_hba.conf     |
 * | database does not exist (3D000)                 | DRS.KE008 | the database does not exist          |
 * | no CONNECT privilege (42501)                    | DRS.KE013 | insufficient permissions             |
 * | TLS refused or required by the server           | DRS.KE0070| check SSL configuration / pg_hba     |
 * | anything else (too many connections, starting)  | DRS.KE0048| failed to connect to the database    |
 *
 * The message is the DRS one followed by PostgreSQL's own words, so the user sees both.
 */
export type ConnectionErrorCode = 'DRS.KE001' | 'DRS.KE002' | 'DRS.KE003' | 'DRS.KE004' | 'DRS.KE006' | 'DRS.KE008' | 'DRS.KE013' | 'DRS.KE0070' | 'DRS.KE0048';

interface ErrorLike {
  code?: unknown;
  message?: unknown;
  errors?: unknown;
}

export function connectionErrorCode(error: unknown): ConnectionErrorCode {
  const { code, message } = flatten(error);
  switch (code) {
    case 'ECONNREFUSED':
      return 'DRS.KE003';
    case 'EHOSTUNREACH':
    case 'ENETUNREACH':
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
    case 'EADDRNOTAVAIL':
      return 'DRS.KE001';
    case 'ETIMEDOUT':
      return 'DRS.KE004';
    case '28P01':
      return 'DRS.KE002';
    case '28000':
      return /pg_hba\.conf/i.test(message) ? 'DRS.KE006' : 'DRS.KE002';
    case '3D000':
      return 'DRS.KE008';
    case '42501':
      return 'DRS.KE013';
  }
  if (/timeout|timed out/i.test(message)) return 'DRS.KE004';
  if (/\bSSL\b|TLS/i.test(message)) return 'DRS.KE0070';
  return 'DRS.KE0048';
}

export function connectionFailure(error: unknown): ConnectionTestResult {
  const errorCode = connectionErrorCode(error);
  const detail = flatten(error).message;
  return { success: false, errorCode, errorMsg: detail ? `${messageFor(errorCode)} (${detail})` : messageFor(errorCode) };
}

/** The code and message that matter: node's AggregateError (several addresses tried) keeps them inside. */
function flatten(error: unknown): { code: string; message: string } {
  const e = (error ?? {}) as ErrorLike;
  if (typeof e.code === 'string') return { code: e.code, message: String(e.message ?? '') };
  if (Array.isArray(e.errors) && e.errors.length > 0) return flatten(e.errors[0]);
  return { code: '', message: String(e.message ?? error ?? '') };
}

/** DRS code for a running task that fails for a reason other than connectivity (seed A.3 "Service error."). */
export const TASK_FAILURE_CODE = 'DRS.M01501';

/** Was this a failure to reach or log in to a server (rather than an SQL or logic error)? */
export function isConnectionError(error: unknown): boolean {
  const { code, message } = flatten(error);
  if (/^(08|28|3D|57P0)/.test(code)) return true;
  if (/^E[A-Z]+$/.test(code)) return true;
  return /Connection terminated|timeout expired|connection timeout/i.test(message);
}

/** The failure event fields for an error that stops a task: connection errors keep their DRS.KE code. */
export function taskFailure(error: unknown, context: string): { errorCode: string; errorMsg: string } {
  const detail = flatten(error).message || String(error);
  if (isConnectionError(error)) {
    const errorCode = connectionErrorCode(error);
    return { errorCode, errorMsg: `${context}: ${messageFor(errorCode)} (${detail})` };
  }
  return { errorCode: TASK_FAILURE_CODE, errorMsg: `${context}: ${detail}` };
}
