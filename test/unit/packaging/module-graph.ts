import { existsSync, readFileSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, resolve } from 'node:path';

/**
 * The files and packages a TypeScript entry point loads at run time, found by following its
 * import statements (type-only imports are erased by Node's type stripping, so they are skipped).
 */
export interface ModuleGraph {
  files: string[];
  /** Bare package names (`pino`, `@kubernetes/client-node`), without node: built-ins. */
  packages: string[];
}

const STATIC_IMPORT = /^\s*(?:import|export)\s+(type\s+)?(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/gm;
const DYNAMIC_IMPORT = /\bimport\(\s*['"]([^'"]+)['"]\s*\)/g;

export function runtimeModuleGraph(entry: string): ModuleGraph {
  const files = new Set<string>();
  const packages = new Set<string>();
  const builtins = new Set(builtinModules);
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = readFileSync(file, 'utf8');
    const specifiers: string[] = [];
    for (const m of source.matchAll(STATIC_IMPORT)) if (!m[1]) specifiers.push(m[2] as string);
    for (const m of source.matchAll(DYNAMIC_IMPORT)) specifiers.push(m[1] as string);
    for (const specifier of specifiers) {
      if (specifier.startsWith('.')) {
        const target = resolve(dirname(file), specifier);
        if (!existsSync(target)) throw new Error(`${file} imports ${specifier}, which does not exist`);
        if (target.endsWith('.ts')) visit(target);
      } else if (!specifier.startsWith('node:') && !builtins.has(specifier)) {
        const parts = specifier.split('/');
        packages.add(specifier.startsWith('@') ? `${parts[0]}/${parts[1]}` : (parts[0] as string));
      }
    }
  };
  visit(entry);
  return { files: [...files].sort(), packages: [...packages].sort() };
}
