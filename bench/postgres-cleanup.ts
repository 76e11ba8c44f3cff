/**
 * What has to be undone at the end of a run, whichever way it ends: steps run last-added first,
 * each on its own (a failing step does not keep the others from running), and only once.
 * The test harness also stops its servers in a process 'exit' hook, as a last resort.
 */
export class Cleanup {
  private readonly steps: Array<{ what: string; fn: () => Promise<void> | void }> = [];
  private running: Promise<void> | undefined;

  /** Cleaning up has begun (an interrupt or the time limit, if the run itself has not finished). */
  get started(): boolean {
    return this.running !== undefined;
  }

  add(what: string, fn: () => Promise<void> | void): void {
    this.steps.push({ what, fn });
  }

  run(): Promise<void> {
    return (this.running ??= (async () => {
      for (const step of this.steps.reverse()) {
        try {
          await withTimeout(Promise.resolve().then(step.fn), 30_000, step.what);
        } catch (error) {
          process.stderr.write(`cleanup: ${step.what} failed: ${(error as Error).message}\n`);
        }
      }
    })());
  }
}

function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const timeout = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => reject(new Error(`${what} took longer than ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

/**
 * Ctrl-C, SIGTERM and the run's own time limit end the run the same way: clean up, then exit
 * with `code`. Returns a function that removes the handlers and the timer.
 */
export function exitOnInterrupt(cleanup: Cleanup, timeoutSeconds: number, describe: () => string): () => void {
  const interrupted = (reason: string, code: number) => () => {
    process.stderr.write(`\n${reason} (${describe()}): cleaning up\n`);
    void cleanup.run().finally(() => process.exit(code));
  };
  const onInt = interrupted('interrupted', 130);
  const onTerm = interrupted('terminated', 143);
  process.once('SIGINT', onInt);
  process.once('SIGTERM', onTerm);
  const timer = setTimeout(interrupted(`time limit of ${timeoutSeconds} s reached`, 1), timeoutSeconds * 1000);
  timer.unref();
  return () => {
    process.off('SIGINT', onInt);
    process.off('SIGTERM', onTerm);
    clearTimeout(timer);
  };
}
