import { parseArgs } from 'node:util';
import { SIMULATORS } from './registry.ts';

/**
 * npm run simulate -- <provider id> [--listen HOST:PORT] [--pace fast|default]
 *
 * Serves one provider's API as a simulator that verifies signatures, so this operator, the
 * official SDKs and other clients can be tried against it. Prints the URL on stdout; SIGTERM or
 * SIGINT stop it.
 */
class UsageError extends Error {}

function usage(): string {
  const ids = Object.entries(SIMULATORS)
    .map(([id, entry]) => `  ${id.padEnd(20)} ${entry!.describes}`)
    .join('\n');
  return `Usage: npm run simulate -- <provider id> [--listen HOST:PORT] [--pace fast|default]

Providers:
${ids}

  --listen HOST:PORT   address to serve (default 127.0.0.1:0, any free port)
  --pace NAME          default (steps take seconds, to watch by hand) or fast (tens of ms)

Credentials clients must sign with:
  Tencent providers:   SIMULATOR_SECRET_ID, SIMULATOR_SECRET_KEY
  Huawei providers:    SIMULATOR_ACCESS_KEY, SIMULATOR_SECRET_KEY (AK/SK)
  huawei-clickhouse:   also SIMULATOR_IAM_USERNAME, SIMULATOR_IAM_PASSWORD, SIMULATOR_IAM_DOMAIN
                       to issue IAM tokens (POST /v3/auth/tokens at the same URL)`;
}

async function main(argv: string[]): Promise<void> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      listen: { type: 'string', default: '127.0.0.1:0' },
      pace: { type: 'string', default: 'default' },
      help: { type: 'boolean', short: 'h', default: false },
    },
  });
  if (values.help) {
    process.stdout.write(`${usage()}\n`);
    return;
  }
  const id = positionals[0];
  if (!id) throw new UsageError('name the provider to simulate.');
  const entry = SIMULATORS[id as keyof typeof SIMULATORS];
  if (!entry) throw new UsageError(`no simulator for "${id}"; known: ${Object.keys(SIMULATORS).join(', ')}.`);
  if (values.pace !== 'fast' && values.pace !== 'default') throw new UsageError(`--pace must be fast or default, got "${values.pace}".`);
  const credentials = credentialsFor(entry.credentials);
  const simulator = await entry.start({ listen: parseListen(values.listen), credentials, pace: values.pace });
  process.stdout.write(`${id} simulator serving ${simulator.url}\n`);
  let stopping = false;
  const stop = (): void => {
    if (stopping) return;
    stopping = true;
    simulator.close().then(
      () => process.exit(0),
      (error: unknown) => {
        process.stderr.write(`simulate: shutdown failed: ${String(error)}\n`);
        process.exit(1);
      },
    );
  };
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

function credentialsFor(kind: 'tencent' | 'huawei'): { id: string; key: string } {
  const env = process.env;
  const id = kind === 'tencent' ? env.SIMULATOR_SECRET_ID : env.SIMULATOR_ACCESS_KEY;
  const key = env.SIMULATOR_SECRET_KEY;
  if (!id || !key) {
    const names = kind === 'tencent' ? 'SIMULATOR_SECRET_ID and SIMULATOR_SECRET_KEY' : 'SIMULATOR_ACCESS_KEY and SIMULATOR_SECRET_KEY';
    throw new UsageError(`set ${names}: the credentials clients must sign with.`);
  }
  return { id, key };
}

function parseListen(text: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(text);
  if (!match) throw new UsageError(`--listen must be HOST:PORT, got "${text}".`);
  const host = match[1]!.replace(/^\[(.*)\]$/, '$1');
  return { host: host === '' ? '127.0.0.1' : host, port: Number(match[2]) };
}

main(process.argv.slice(2)).catch((error: unknown) => {
  if (error instanceof UsageError || (error as { code?: string }).code?.startsWith('ERR_PARSE_ARGS')) {
    process.stderr.write(`simulate: ${(error as Error).message}\n\n${usage()}\n`);
    process.exit(2);
  }
  process.stderr.write(`simulate: ${(error as Error).stack ?? String(error)}\n`);
  process.exit(1);
});
