import { spawn, type ChildProcess } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { CREDENTIALS } from './helpers.ts';

export const CLI = fileURLToPath(new URL('../../../engine/src/cli.ts', import.meta.url));

/** Starts the CLI as a child process; resolves with its URL once it prints it. */
export async function spawnEngine(dataDir: string, extraArgs: string[] = [], env: Record<string, string | undefined> = {}): Promise<{ child: ChildProcess; url: string; stderr: () => string }> {
  const child = spawn(process.execPath, [CLI, '--listen', '127.0.0.1:0', '--data', dataDir, '--log-level', 'warn', ...extraArgs], {
    env: { ...process.env, ENGINE_ACCESS_KEY: CREDENTIALS.accessKey, ENGINE_SECRET_KEY: CREDENTIALS.secretKey, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stderr = '';
  child.stderr!.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    const timer = setTimeout(() => reject(new Error(`engine did not start: ${stderr}`)), 15_000);
    child.stdout!.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /serving (http:\/\/\S+)/.exec(stdout);
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`engine exited with ${code}: ${stderr}`));
    });
  });
  return { child, url, stderr: () => stderr };
}

