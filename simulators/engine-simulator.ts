import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startEngine } from '../engine/src/engine.ts';
import { DEFAULT_SIMULATED_DELAYS, FAST_SIMULATED_DELAYS } from '../engine/src/executors/simulated.ts';
import type { RunningSimulator, SimulatorOptions } from './simulator.ts';

/**
 * The Huawei DRS v3 simulator is the built-in engine with its simulated executor (the DRS state
 * machine, error codes and batch shapes; see engine/README.md). Jobs live in a fresh temporary
 * store unless `dataDir` is given.
 */
export async function startDrsSimulator(options: SimulatorOptions & { dataDir?: string }): Promise<RunningSimulator> {
  const engine = await startEngine({
    dataDir: options.dataDir ?? (await mkdtemp(join(tmpdir(), 'drs-simulator-'))),
    credentials: { accessKey: options.credentials.id, secretKey: options.credentials.key },
    delays: options.pace === 'fast' ? FAST_SIMULATED_DELAYS : DEFAULT_SIMULATED_DELAYS,
    ...(options.listen ? { listen: options.listen } : {}),
    ...(options.clock ? { clock: options.clock } : {}),
  });
  return { url: engine.url, close: () => engine.close() };
}
