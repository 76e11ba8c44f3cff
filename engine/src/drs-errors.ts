/**
 * The DRS error codes the engine answers with, from seed Appendix A.3 (HTTP status, code,
 * message). Per-item errors reuse the same codes inside batch results; `httpStatus` is what a
 * whole-request failure with that code is answered with.
 */
export interface DrsErrorSpec {
  readonly httpStatus: number;
  readonly message: string;
}

export const DRS_ERRORS = {
  'DRS.M00002': { httpStatus: 422, message: 'The returned result is empty.' },
  'DRS.M00004': { httpStatus: 422, message: 'Service is abnormal. Check logs.' },
  'DRS.M00007': { httpStatus: 400, message: 'Invalid request parameter.' },
  'DRS.M00100': { httpStatus: 403, message: 'Invalid token.' },
  'DRS.M00103': { httpStatus: 401, message: 'You do not have operation permissions. Check account permissions on IAM.' },
  'DRS.M00200': { httpStatus: 400, message: 'Parameter error.' },
  'DRS.M00201': { httpStatus: 400, message: 'The parameter %s is empty.' },
  'DRS.M00202': { httpStatus: 400, message: 'The value of parameter %s is invalid.' },
  'DRS.M00210': { httpStatus: 400, message: 'The value of Page is invalid, %s' },
  'DRS.M00211': { httpStatus: 400, message: 'The value of Page exceeds the upper limit.' },
  'DRS.M00261': { httpStatus: 403, message: 'Invalid project ID.' },
  'DRS.M00269': { httpStatus: 400, message: 'The tag key must be unique.' },
  'DRS.M00270': { httpStatus: 400, message: 'The tag key or value is too long.' },
  'DRS.M00271': { httpStatus: 400, message: 'The number of tags exceeds the limit.' },
  'DRS.M00277': { httpStatus: 422, message: 'The task name already exists.' },
  'DRS.M00289': { httpStatus: 400, message: 'Missing query result: %s' },
  'DRS.M00300': { httpStatus: 400, message: 'Invalid request, %s' },
  'DRS.M00301': { httpStatus: 400, message: 'There are duplicate %s in request.' },
  'DRS.M00302': { httpStatus: 400, message: 'The transfer schema is invalid, please refer to supported transfer schema.' },
  'DRS.M00304': { httpStatus: 400, message: 'This API cannot be called in the current task status.' },
  'DRS.M00305': { httpStatus: 400, message: 'Parameter error:%s' },
  'DRS.M00306': { httpStatus: 400, message: 'Start time cannot be the same as end time.' },
  'DRS.M00403': { httpStatus: 400, message: 'This task does not support flow control.' },
  'DRS.M01501': { httpStatus: 422, message: 'Service error.' },
  'DRS.M01504': {
    httpStatus: 202,
    message: 'Another operation is being performed on the migration task or the migration task is abnormal. Try again later.',
  },
  'DRS.M05003': { httpStatus: 400, message: 'Task information not found.' },
  'DRS.M05004': { httpStatus: 400, message: 'The task has been deleted or the resource has been released.' },
  'DRS.M05066': { httpStatus: 200, message: 'Failed to create instance!' },
  // Connection-test outcomes (HTTP 200, reported per item in batch-connection).
  'DRS.KE001': { httpStatus: 200, message: 'Failed to connect to the database network.' },
  'DRS.KE002': { httpStatus: 200, message: 'The username or password is incorrect.' },
  'DRS.KE003': { httpStatus: 200, message: 'The port cannot be accessed.' },
  'DRS.KE004': {
    httpStatus: 200,
    message: 'Connection failed. Handling suggestion: Please check the security group/firewall/SSL configuration of the database.',
  },
  'DRS.KE006': {
    httpStatus: 200,
    message: 'The remote connection permission is not configured in pg_hba.conf for the replication instance and database user.',
  },
  'DRS.KE008': { httpStatus: 200, message: 'The specified source database does not exist.' },
  'DRS.KE013': { httpStatus: 200, message: 'Insufficient permissions.' },
  'DRS.KE014': { httpStatus: 200, message: 'Internal error.' },
  'DRS.KE0017': { httpStatus: 200, message: 'The IP address cannot be pinged.' },
  'DRS.KE0037': {
    httpStatus: 200,
    message: 'The username or password is incorrect. Handling suggestion: Check that the input username and password for the connection test are correct.',
  },
  'DRS.KE0048': { httpStatus: 200, message: 'Failed to connect to the database.' },
  'DRS.KE0070': {
    httpStatus: 200,
    message: 'Connection failed. Handling suggestion: Please check the security group/firewall/SSL configuration/pg_hba.conf whitelist of the database.',
  },
} as const satisfies Record<string, DrsErrorSpec>;

export type DrsErrorCode = keyof typeof DRS_ERRORS;

/** A DRS error as it goes on the wire: `{error_code, error_msg}` (seed A.1). */
export interface DrsError {
  error_code: string;
  error_msg: string;
}

/** Builds the error for `code`, filling the seed message's `%s` with `detail` (or appending it). */
export function drsError(code: DrsErrorCode, detail?: string): DrsError {
  const template: string = DRS_ERRORS[code].message;
  let message = template;
  if (template.includes('%s')) message = template.replace('%s', detail ?? '');
  else if (detail) message = `${template} (${detail})`;
  return { error_code: code, error_msg: message };
}

export function isKnownDrsCode(code: string): code is DrsErrorCode {
  return Object.hasOwn(DRS_ERRORS, code);
}

/** Message for a code the catalog knows, or a generic one for codes injected from outside. */
export function messageFor(code: string, fallback = 'Operation failed.'): string {
  return isKnownDrsCode(code) ? DRS_ERRORS[code].message.replace('%s', '').trim() : fallback;
}
