import { execFileSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';

/**
 * Where the PostgreSQL client/server programs live. The executor needs `pg_dump` (table
 * definitions are copied with it); the test harness needs `initdb`/`pg_ctl`. Debian keeps them
 * per major version under /usr/lib/postgresql/<major>/bin, off PATH, so we look:
 *
 * 1. an explicit directory (option or ENGINE_PG_BINDIR),
 * 2. `pg_config --bindir`,
 * 3. the highest /usr/lib/postgresql/<major>/bin,
 * 4. PATH (plain program names).
 */
export function findPostgresBinDir(explicit: string | undefined = process.env.ENGINE_PG_BINDIR): string | undefined {
  if (explicit) return explicit;
  try {
    const dir = execFileSync('pg_config', ['--bindir'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] }).trim();
    if (dir && existsSync(join(dir, 'pg_dump'))) return dir;
  } catch {
    // no pg_config on PATH: try the Debian layout
  }
  const root = '/usr/lib/postgresql';
  if (existsSync(root)) {
    const majors = readdirSync(root)
      .filter((name) => /^\d+$/.test(name) && existsSync(join(root, name, 'bin', 'pg_dump')))
      .sort((a, b) => Number(b) - Number(a));
    if (majors[0]) return join(root, majors[0], 'bin');
  }
  return undefined;
}

/** Full path of a PostgreSQL program, or its bare name (resolved through PATH) when no bin dir is known. */
export function postgresProgram(name: string, binDir: string | undefined = findPostgresBinDir()): string {
  return binDir ? join(binDir, name) : name;
}

/** Major version of a PostgreSQL program (`pg_dump --version` → 15), or undefined when it cannot run. */
export function programMajorVersion(program: string): number | undefined {
  try {
    const text = execFileSync(program, ['--version'], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    const match = /\(PostgreSQL\)\s+(\d+)/.exec(text);
    return match ? Number(match[1]) : undefined;
  } catch {
    return undefined;
  }
}
