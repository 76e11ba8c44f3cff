import { CH_ERROR_CODES } from '../../controller/src/providers/huawei-clickhouse/errors.ts';
import { ApiRefusal } from '../shared/api-refusal.ts';

/** An API refusal: HTTP 400/500 with `{error_code, error_msg}`, as the replication API answers. */
export class SimError extends ApiRefusal<string> {
  readonly status: number;
  constructor(status: number, code: string, message: string) {
    super(code, message);
    this.status = status;
  }

  get body(): { error_code: string; error_msg: string } {
    return { error_code: this.code, error_msg: this.message };
  }
}

export const invalidParameter = (message: string) => new SimError(400, CH_ERROR_CODES.invalidParameter, message);
