/**
 * A call the simulated API refuses with one of its own error codes: the expected outcome of a bad
 * request, not a simulator failure. Each simulator's server catches its own subclass and answers
 * it in its API's error shape; anything else thrown becomes the API's internal error.
 */
export class ApiRefusal<Code extends string | number = string> extends Error {
  readonly code: Code;
  constructor(code: Code, message: string) {
    super(message);
    this.code = code;
  }
}
