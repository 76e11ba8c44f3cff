import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { SIMULATORS } from '../../simulators/registry.ts';

const CLI = join(import.meta.dirname, '..', '..', 'simulators', 'cli.ts');

/** `npm run simulate -- <id>` for every registered provider: it serves, prints its URL, and stops cleanly on SIGTERM. */
describe('npm run simulate', () => {
  it.each(Object.keys(SIMULATORS))('%s serves on --listen and exits 0 on SIGTERM', async (id) => {
    const child = spawn(process.execPath, [CLI, id, '--listen', '127.0.0.1:0', '--pace', 'fast'], {
      env: { ...process.env, SIMULATOR_SECRET_ID: 'AKIDcli', SIMULATOR_ACCESS_KEY: 'AKcli', SIMULATOR_SECRET_KEY: 'cli-secret' },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    child.stdout.on('data', (chunk: Buffer) => (out += chunk.toString()));
    const url = await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no URL printed; stdout: ${out}`)), 20_000);
      child.stdout.on('data', () => {
        const match = /serving (http:\/\/\S+)/.exec(out);
        if (match) {
          clearTimeout(timer);
          resolve(match[1]!);
        }
      });
    });
    // An unsigned call reaches the simulator and is refused by its signature check.
    const response = await fetch(`${url}/`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
    expect(response.status).toBeLessThan(500);
    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it('refuses to start without credentials, naming the variables', async () => {
    const child = spawn(process.execPath, [CLI, 'huawei-drs'], { env: { PATH: process.env.PATH ?? '' }, stdio: ['ignore', 'pipe', 'pipe'] });
    let err = '';
    child.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
    const [code] = await once(child, 'exit');
    expect(code).toBe(2);
    expect(err).toContain('SIMULATOR_ACCESS_KEY and SIMULATOR_SECRET_KEY');
  });
});
