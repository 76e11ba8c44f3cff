import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { systemClock } from '../engine/src/clock.ts';
import { startEngine, type Engine } from '../engine/src/engine.ts';
import { silentLogger, type EngineLogger } from '../engine/src/logger.ts';
import { CREDENTIALS, DrsTestClient } from '../test/unit/engine/helpers.ts';
import type { Cleanup } from './postgres-cleanup.ts';

/**
 * The built-in engine with its PostgreSQL executor, in this process, at its defaults (the
 * progress poller's 300 ms included), and a client that calls it over signed HTTP as the
 * operator would. BENCH_LOG=1 prints the engine's warnings and errors.
 */
export const ENGINE_POLL_MS = 300;

export interface BenchEngine {
  engine: Engine;
  drs: DrsTestClient;
}

export async function startBenchEngine(cleanup: Cleanup): Promise<BenchEngine> {
  const dataDir = await mkdtemp(join(tmpdir(), 'drs-bench-pg-engine-'));
  cleanup.add('removing the engine data directory', () => rm(dataDir, { recursive: true, force: true }));
  const engine = await startEngine({ dataDir, credentials: CREDENTIALS, executor: 'postgres', postgres: { pollMs: ENGINE_POLL_MS }, logger: logger() });
  cleanup.add('closing the engine', () => engine.close());
  return { engine, drs: new DrsTestClient(engine.url, systemClock) };
}

function logger(): EngineLogger {
  if (process.env.BENCH_LOG !== '1') return silentLogger;
  const write = (level: string) => (fields: object, message: string) => process.stderr.write(`engine ${level}: ${message} ${JSON.stringify(fields, errorFields)}\n`);
  return { debug: () => {}, info: () => {}, warn: write('warn'), error: write('error') };
}

function errorFields(_key: string, value: unknown): unknown {
  return value instanceof Error ? { message: value.message } : value;
}
