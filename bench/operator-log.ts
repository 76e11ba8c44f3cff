import type { OperatorLogger } from '../controller/src/operator.ts';

/**
 * The operator's logger during a run: silent (printing would cost more than the work being
 * measured), but warnings and errors are counted by message so the summary can say whether
 * anything went wrong at scale. BENCH_LOG=1 prints them to stderr as well.
 */
export class CountingLog implements OperatorLogger {
  readonly warnings = new Map<string, number>();
  readonly errors = new Map<string, number>();
  readonly #print = process.env.BENCH_LOG === '1';

  debug(): void {}
  info(): void {}
  warn(obj: object, msg: string): void {
    this.warnings.set(msg, (this.warnings.get(msg) ?? 0) + 1);
    if (this.#print) console.error('WARN', msg, JSON.stringify(obj));
  }
  error(obj: object, msg: string): void {
    this.errors.set(msg, (this.errors.get(msg) ?? 0) + 1);
    if (this.#print) console.error('ERROR', msg, JSON.stringify(obj));
  }

  /** `{ "message": count }` for the report (empty when all was quiet). */
  summary(): { warnings: Record<string, number>; errors: Record<string, number> } {
    return { warnings: Object.fromEntries(this.warnings), errors: Object.fromEntries(this.errors) };
  }
}
