import { execFile } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { describe, expect, it } from 'vitest';
import { copiesOf, isIgnored, parseDockerfile, type Stage } from './dockerfile.ts';
import { ROOT } from './helm.ts';
import { runtimeModuleGraph } from './module-graph.ts';

/**
 * No Docker engine here: the image recipe is checked by reading it. Stages and bases, where dev
 * dependencies live, the runtime user and entry point, and that everything copied exists, is in
 * the build context, and is all the entry point needs.
 */

const dockerfile = readFileSync(join(ROOT, 'Dockerfile'), 'utf8');
const dockerignore = readFileSync(join(ROOT, '.dockerignore'), 'utf8');
const stages = parseDockerfile(dockerfile);
const runtime = stages.at(-1) as Stage;
const engineRuntime = stages.find((s) => s.name === 'runtime-engine') as Stage;
const runs = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'RUN').map((i) => i.args);
const workdir = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'WORKDIR').at(-1)?.args ?? '/';
const entrypoint = (stage: Stage = runtime): string[] => JSON.parse(stage.instructions.find((i) => i.keyword === 'ENTRYPOINT')!.args) as string[];
const user = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'USER').at(-1)?.args;
const env = (stage: Stage) => stage.instructions.filter((i) => i.keyword === 'ENV').map((i) => i.args);
const packageJson = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

/** Where a path inside a build stage came from: a COPY from the context, or npm. */
function contextSourceOf(stage: Stage, pathInStage: string): string | 'npm' | undefined {
  for (const copy of copiesOf(stage).filter((c) => !c.from)) {
    const destination = copy.destination.startsWith('/') ? copy.destination : join(workdir(stage), copy.destination);
    for (const source of copy.sources) {
      // `COPY a b ./` puts each file into the directory; `COPY dir ./dir` puts the directory there.
      const target = copy.sources.length > 1 || destination.endsWith('/') ? join(destination, source) : destination;
      if (target.replace(/\/$/, '') === pathInStage.replace(/\/$/, '')) return source;
    }
  }
  if (pathInStage === join(workdir(stage), 'node_modules') && runs(stage).some((r) => /\bnpm ci\b/.test(r))) return 'npm';
  return undefined;
}

describe('Dockerfile', () => {
  it('has a Node 22 build stage, an engine runtime and a distroless Node 22 runtime stage, the runtime last (the default target)', () => {
    expect(stages.map((s) => s.name)).toEqual(['build', 'runtime-engine', 'runtime']);
    expect(stages[0]!.base).toMatch(/^node:22(\.\d+)*-bookworm-slim$/);
    expect(engineRuntime.base).toBe(stages[0]!.base);
    expect(runtime.base).toMatch(/^gcr\.io\/distroless\/nodejs22-debian12:nonroot$/);
  });

  it('installs dev dependencies in the build stage only: npm ci, type-check, then prune before the runtime copies node_modules', () => {
    const build = stages[0]!;
    const commands = runs(build).join(' && ').split(/\s*&&\s*/);
    const ci = commands.findIndex((c) => /^npm ci\b/.test(c));
    const typecheck = commands.findIndex((c) => /typescript\/bin\/tsc --noEmit/.test(c));
    const prune = commands.findIndex((c) => /^npm prune --omit=dev\b/.test(c));
    expect(ci).toBeGreaterThanOrEqual(0);
    expect(commands[ci]).not.toContain('--omit=dev');
    expect(typecheck).toBeGreaterThan(ci);
    expect(prune).toBeGreaterThan(typecheck);
    expect(commands.slice(prune + 1).filter((c) => /\bnpm (ci|install|i)\b/.test(c))).toEqual([]);
    for (const stage of [runtime, engineRuntime]) {
      const modules = copiesOf(stage).find((c) => c.sources.some((s) => s.endsWith('node_modules')));
      expect(modules?.from, stage.name).toBe('build');
    }
  });

  it('gives the runtime stage no shell step, a non-root USER, and node as PID 1 in exec form', () => {
    expect(runs(runtime)).toEqual([]);
    expect(user(runtime)).toBe('65532:65532');
    const [node, script, ...rest] = entrypoint();
    expect(node).toBe('/nodejs/bin/node');
    expect(script).toBe('controller/src/main.ts');
    expect(rest).toEqual([]);
    expect(runtime.instructions.some((i) => i.keyword === 'CMD' && !i.args.startsWith('['))).toBe(false);
    expect(runtime.instructions.find((i) => i.keyword === 'ENV')?.args).toBe('NODE_ENV=production');
  });

  it('gives the engine runtime pg_dump where the engine looks, and otherwise the same user, files and entry point', () => {
    const install = runs(engineRuntime).join(' && ');
    const major = /^PG_MAJOR=(\d+)$/.exec(engineRuntime.instructions.find((i) => i.keyword === 'ARG')?.args ?? '')?.[1];
    // PostgreSQL 17's pg_dump dumps sources from 10 to 17 (the engine's pre-check refuses a newer source).
    expect(Number(major)).toBeGreaterThanOrEqual(17);
    expect(install).toMatch(/apt-get install -y --no-install-recommends postgresql-client-\$\{PG_MAJOR\}/);
    expect(install).toContain('https://apt.postgresql.org/pub/repos/apt bookworm-pgdg main');
    expect(install).toContain('rm -rf /var/lib/apt/lists/*');
    // The chart runs every image as 65532 with a read-only root filesystem: the user must exist (libpq looks it up).
    expect(install).toMatch(/useradd --uid 65532 --gid 65532 /);
    expect(env(engineRuntime)).toContain('ENGINE_PG_BINDIR=/usr/lib/postgresql/${PG_MAJOR}/bin');
    expect(env(engineRuntime)).toContain('NODE_ENV=production');
    expect(user(engineRuntime)).toBe(user(runtime));
    expect(entrypoint(engineRuntime)).toEqual(['node', entrypoint()[1]]);
    const copied = (stage: Stage) => copiesOf(stage).map((c) => `${c.from} ${c.sources.join(' ')} ${c.destination}`);
    expect(copied(engineRuntime)).toEqual(copied(runtime));
  });

  it('copies into the runtime only paths the build stage has, each from the build context (and not ignored) or from npm', () => {
    const build = stages[0]!;
    for (const copy of [...copiesOf(runtime), ...copiesOf(engineRuntime)]) {
      expect(copy.from, `line ${copy.line}: the runtime copies from the build stage only`).toBe('build');
      for (const source of copy.sources) {
        const origin = contextSourceOf(build, source);
        expect(origin, `line ${copy.line}: nothing in the build stage puts ${source} there`).toBeDefined();
      }
    }
    for (const copy of copiesOf(build)) {
      for (const source of copy.sources) {
        expect(existsSync(join(ROOT, source)), `line ${copy.line}: ${source} does not exist`).toBe(true);
        expect(isIgnored(dockerignore, source), `line ${copy.line}: .dockerignore leaves ${source} out of the context`).toBe(false);
      }
    }
  });

  it('ships everything the entry point imports, and it needs no dev dependency', () => {
    const graph = runtimeModuleGraph(join(ROOT, entrypoint()[1]!));
    const copied = copiesOf(runtime).flatMap((c) => c.sources.map((s) => s.replace(/^\/app\//, '')));
    const outside = graph.files.map((f) => relative(ROOT, f)).filter((f) => !copied.some((dir) => f === dir || f.startsWith(`${dir}/`)));
    expect(outside).toEqual([]);
    expect(graph.files.length).toBeGreaterThan(50);
    const devOnly = graph.packages.filter((p) => !(p in packageJson.dependencies));
    expect(devOnly).toEqual([]);
    expect(graph.packages).toContain('@kubernetes/client-node');
  });

  it('can skip install scripts: no production dependency in the lockfile has one', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { dev?: boolean; hasInstallScript?: boolean }> };
    const withScripts = Object.entries(lock.packages).filter(([name, p]) => name !== '' && p.hasInstallScript && !p.dev);
    expect(withScripts.map(([name]) => name)).toEqual([]);
    for (const command of runs(stages[0]!).join(' && ').split(/\s*&&\s*/).filter((c) => /^npm (ci|prune)\b/.test(c))) {
      expect(command).toContain('--ignore-scripts');
    }
  });

  it('runs its entry point file under node: --help answers', async () => {
    const result = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) =>
      execFile(process.execPath, [entrypoint()[1]!, '--help'], { cwd: ROOT, timeout: 30_000 }, (error, stdout, stderr) =>
        resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr }),
      ),
    );
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout).toMatch(/^Usage: drs-operator \[flags\]/);
    expect(result.stdout).toContain('--leader-elect');
  });
});

describe('.dockerignore', () => {
  it('keeps secrets, history, dependencies, tests and local state out of the build context', () => {
    for (const path of ['.git/config', 'node_modules/pino/package.json', 'test/unit/api/crds.test.ts', '.sandbox/kubeconfig', '.env', 'coverage/index.html', 'bench/run.ts', 'README.md']) {
      expect(isIgnored(dockerignore, path), path).toBe(true);
    }
    for (const path of ['package.json', 'package-lock.json', 'controller/src/main.ts', 'engine/src/engine.ts']) {
      expect(isIgnored(dockerignore, path), path).toBe(false);
    }
  });
});
