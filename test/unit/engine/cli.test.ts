import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { afterEach, describe, expect, it } from 'vitest';
import { systemClock } from '../../../engine/src/clock.ts';
import { creationItem, CREDENTIALS, DrsTestClient, tempDir } from './helpers.ts';
import { CLI, spawnEngine } from './spawn-engine.ts';

describe('engine CLI', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('starts, prints its URL, serves signed DRS calls and the admin API, and exits 0 on SIGTERM', async () => {
    const temp = tempDir();
    cleanups.push(temp.remove);
    const { child, url } = await spawnEngine(temp.dir, ['--delays', 'fast']);
    cleanups.push(() => child.exitCode === null && child.signalCode === null && child.kill('SIGKILL'));
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const client = new DrsTestClient(url, systemClock);
    const created = await client.post('/batch-creation', { jobs: [creationItem('cli-job')] });
    expect(created.status).toBe(202);
    const id: string = created.body.results[0].id;
    const deadline = Date.now() + 5000;
    while ((await client.status([id]))[id] !== 'CONFIGURATION' && Date.now() < deadline) await new Promise((r) => setTimeout(r, 10));
    expect(await client.status([id])).toEqual({ [id]: 'CONFIGURATION' });
    const stats = await client.admin('GET', '/_sim/stats');
    expect(stats.body.endpoints['batch-creation'].requests).toBe(1);
    const unsigned = await fetch(`${url}/v3/p/jobs/batch-status`, { method: 'POST', headers: { 'Content-Type': 'application/json' }, body: '{"jobs":["x"]}' });
    expect(unsigned.status).toBe(401);

    child.kill('SIGTERM');
    const [code] = await once(child, 'exit');
    expect(code).toBe(0);
  });

  it.each([
    [['--data', '/tmp/x'], { ENGINE_ACCESS_KEY: '', ENGINE_SECRET_KEY: '' }, /set ENGINE_ACCESS_KEY and ENGINE_SECRET_KEY/],
    [['--data', '/tmp/x', '--executor', 'nosuch'], {}, /unknown executor "nosuch"; use --executor simulated or --executor postgres/],
    [[], {}, /--data DIR is required/],
    [['--data', '/tmp/x', '--listen', 'nonsense'], {}, /--listen must be HOST:PORT/],
  ])('refuses %j with a clear message (exit 2)', (args, env, message) => {
    const result = spawnSync(process.execPath, [CLI, ...args], {
      env: { ...process.env, ENGINE_ACCESS_KEY: CREDENTIALS.accessKey, ENGINE_SECRET_KEY: CREDENTIALS.secretKey, ...env },
      encoding: 'utf8',
      timeout: 15_000,
    });
    expect(result.status).toBe(2);
    expect(result.stderr).toMatch(message);
  });
});
