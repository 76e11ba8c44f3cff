import { parseArgs } from 'node:util';
import { pino } from 'pino';
import { startEngine, type EngineOptions } from './engine.ts';
import { DEFAULT_SIMULATED_DELAYS, FAST_SIMULATED_DELAYS, type SimulatedDelays } from './executors/simulated.ts';

/**
 * node engine/src/cli.ts --listen 127.0.0.1:8088 --data DIR [--executor simulated|postgres]
 *
 * Serves the Huawei DRS v3 batch API. Clients sign with the AK/SK from ENGINE_ACCESS_KEY /
 * ENGINE_SECRET_KEY (ENGINE_TOKEN optionally enables X-Auth-Token). Prints the URL it serves
 * on stdout; logs go to stderr. SIGTERM/SIGINT close it cleanly (every acknowledged change is
 * already on disk, so a kill -9 loses nothing acknowledged either).
 */
const USAGE = `Usage: node engine/src/cli.ts --data DIR [options]

  --listen HOST:PORT     address to serve (default 127.0.0.1:8088; port 0 = any free port)
  --data DIR             job store directory (created if missing)
  --executor NAME        simulated (default), or postgres: engine_type postgresql tasks replicate
                         for real with PostgreSQL logical replication (needs pg_dump; see
                         engine/src/executors/postgres/README.md)
  --delays PRESET|JSON   simulated step durations: default, fast, or JSON like {"fullTransferMs":5000}
  --no-admin             do not serve the /_sim admin API
  --log-level LEVEL      pino level for stderr logs (default info)

Environment: ENGINE_ACCESS_KEY, ENGINE_SECRET_KEY (required), ENGINE_TOKEN, ENGINE_ADMIN_TOKEN (optional).`;

class UsageError extends Error {}

async function main(argv: string[]): Promise<void> {
  const { values } = parseArgs({
    args: argv,
    options: {
      listen: { type: 'string', default: '127.0.0.1:8088' },
      data: { type: 'string' },
      executor: { type: 'string', default: 'simulated' },
      delays: { type: 'string', default: 'default' },
      'no-admin': { type: 'boolean', default: false },
      'log-level': { type: 'string', default: 'info' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return;
  }
  if (!values.data) throw new UsageError('--data DIR is required: the directory that holds the job store.');
  if (values.executor !== 'simulated' && values.executor !== 'postgres') {
    throw new UsageError(`unknown executor "${values.executor}"; use --executor simulated or --executor postgres.`);
  }
  const accessKey = process.env.ENGINE_ACCESS_KEY;
  const secretKey = process.env.ENGINE_SECRET_KEY;
  if (!accessKey || !secretKey) {
    throw new UsageError('set ENGINE_ACCESS_KEY and ENGINE_SECRET_KEY: the AK/SK clients must sign DRS requests with.');
  }

  const log = pino({ level: values['log-level'], base: { component: 'drs-engine' } }, pino.destination(2));
  const options: EngineOptions = {
    listen: parseListen(values.listen),
    dataDir: values.data,
    executor: values.executor,
    credentials: { accessKey, secretKey },
    delays: parseDelays(values.delays),
    admin: !values['no-admin'],
    logger: log,
  };
  if (process.env.ENGINE_TOKEN) options.token = process.env.ENGINE_TOKEN;
  if (process.env.ENGINE_ADMIN_TOKEN) options.adminToken = process.env.ENGINE_ADMIN_TOKEN;

  const engine = await startEngine(options);
  process.stdout.write(`DRS engine (${engine.executor.kind}) serving ${engine.url} (data: ${values.data})\n`);

  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'shutting down');
    engine.close().then(
      () => process.exit(0),
      (error: unknown) => {
        log.error({ err: error }, 'shutdown failed');
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', () => stop('SIGTERM'));
  process.on('SIGINT', () => stop('SIGINT'));
}

function parseListen(text: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--listen must be HOST:PORT, got "${text}".`);
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port: Number(match[2]) };
}

function parseDelays(text: string): Partial<SimulatedDelays> {
  if (text === 'default') return DEFAULT_SIMULATED_DELAYS;
  if (text === 'fast') return FAST_SIMULATED_DELAYS;
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch {
    throw new UsageError(`--delays must be "default", "fast" or a JSON object, got "${text}".`);
  }
  const delays: Partial<SimulatedDelays> = {};
  for (const [key, value] of Object.entries(parsed as Record<string, unknown>)) {
    if (!(key in DEFAULT_SIMULATED_DELAYS)) throw new UsageError(`unknown delay "${key}"; known: ${Object.keys(DEFAULT_SIMULATED_DELAYS).join(', ')}.`);
    if (typeof value !== 'number' || value < 0) throw new UsageError(`delay "${key}" must be a non-negative number of milliseconds.`);
    delays[key as keyof SimulatedDelays] = value;
  }
  return delays;
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`drs-engine: ${(error as Error).message}\n\n${USAGE}\n`);
    process.exit(2);
  }
  process.stderr.write(`drs-engine: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
