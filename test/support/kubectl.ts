import { execFile, execFileSync } from 'node:child_process';

/**
 * The real kubectl, for the tests that check what a user sees through it. kubectl is not a
 * project dependency: where it is not on PATH those tests skip (`describe.skipIf(!hasKubectl)`),
 * so this is looked up once per test file, not per test.
 */
export const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore', timeout: 10_000 });
    return true;
  } catch {
    return false;
  }
})();

export interface KubectlResult {
  /** The exit code: 0 on success; 1 when kubectl could not be run or was killed. */
  code: number;
  stdout: string;
  stderr: string;
}

/**
 * Runs kubectl against one kubeconfig and resolves with its exit code and output; it never
 * rejects, so a test can assert on a failing command's code and stderr. `cacheDir` keeps
 * kubectl's discovery cache out of the home directory (and apart between test servers).
 */
export function runKubectl(kubeconfig: string, args: string[], options: { cacheDir?: string; timeoutMs?: number } = {}): Promise<KubectlResult> {
  const cache = options.cacheDir === undefined ? [] : ['--cache-dir', options.cacheDir];
  return new Promise((resolve) =>
    execFile('kubectl', ['--kubeconfig', kubeconfig, ...cache, ...args], { timeout: options.timeoutMs ?? 30_000 }, (error, stdout, stderr) =>
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
    ),
  );
}
