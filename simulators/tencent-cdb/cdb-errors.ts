import { ApiRefusal } from '../shared/api-refusal.ts';

/**
 * The answers the CDB v2 API gives on failure: `{code, message, codeDesc}`. Business codes are
 * the seed's table (CreateCdbDataSyncTask) and the tables of CheckCdbDataSyncTask and
 * GetCdbDataSyncTaskList; 4xxx are the v2 common codes (public "Common Error Codes" page).
 */
export class V2Error extends ApiRefusal<number> {
  readonly codeDesc: string;
  constructor(code: number, codeDesc: string, message: string) {
    super(code, message);
    this.codeDesc = codeDesc;
  }
}

const TABLE: Readonly<Record<number, [codeDesc: string, message: string]>> = {
  4000: ['InvalidParameter', 'Invalid request parameters'],
  4100: ['AuthFailure', 'Authentication failed'],
  4200: ['RequestExpired', 'The request has expired'],
  4400: ['RequestLimitExceeded', 'The number of requests exceeded the quota'],
  4500: ['ReplayAttack', 'The Nonce was already used'],
  9003: ['InvalidParameter', 'Incorrect parameter'],
  9013: ['InternalError', 'System internal error'],
  9570: ['OperationDenied', 'Process conflict. The task is not allowed'],
  9572: ['InstanceNotExists', 'Instance does not exist'],
  9592: ['OperationDenied', 'Source MySQL or destination instance already has a running task'],
  30000: ['InvalidParameter', 'Incorrect synchronization parameter'],
  30004: ['InvalidParameter', 'Incorrect parameter in source instance information'],
  30005: ['InvalidParameter', 'Incorrect parameter in destination instance information'],
  30009: ['InvalidParameter', 'Synchronization task does not exist'],
  30013: ['InvalidParameter', 'Incorrect region information of instance'],
  30016: ['InvalidParameter', 'The operation is not allowed in the current synchronization status'],
};

/** The error for `code`, with the table's message and an optional detail after it. */
export function cdbError(code: number, detail?: string): V2Error {
  const [codeDesc, message] = TABLE[code] ?? ['InternalError', `error ${code}`];
  return new V2Error(code, codeDesc, detail ? `${message}: ${detail}` : message);
}
