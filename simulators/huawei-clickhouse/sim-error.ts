import { CH_ERROR_CODES } from '../../controller/src/providers/huawei-clickhouse/errors.ts';

/** An API refusal: HTTP 400/500 with `{error_code, error_msg}`, as the replication API answers. */
export class SimError extends Error {
  readonly status: number;
  readonly code: string;
  constructor(status: number, code: string, message: string) {
    super(message);
    this.status = status;
    this.code = code;
  }

  get body(): { error_code: string; error_msg: string } {
    return { error_code: this.code, error_msg: this.message };
  }
}

export const invalidParameter = (message: string) => new SimError(400, CH_ERROR_CODES.invalidParameter, message);
