import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { LuaFactory } from 'wasmoon';
import { ROOT } from './helm.ts';

/**
 * Runs argocd/health.lua the way Argo CD does: the live object as the global `obj` (a Lua table
 * decoded from its JSON: objects → tables, arrays → 1-based sequences, null → nil), the script
 * as a chunk returning `{status, message}`. wasmoon is Lua 5.4 and Argo CD's gopher-lua is 5.1;
 * the script keeps to what both share.
 */

export const HEALTH_LUA_PATH = join(ROOT, 'argocd', 'health.lua');
export const healthLua = () => readFileSync(HEALTH_LUA_PATH, 'utf8');

export interface ArgoHealth {
  status: 'Healthy' | 'Progressing' | 'Degraded' | 'Suspended' | 'Missing' | 'Unknown';
  message: string;
}

const factory = new LuaFactory();

export async function argoHealth(obj: unknown, script = healthLua()): Promise<ArgoHealth> {
  const lua = await factory.createEngine();
  try {
    await lua.doString(`obj = ${toLuaLiteral(obj)}`);
    return (await lua.doString(script)) as ArgoHealth;
  } finally {
    lua.global.close();
  }
}

/** JSON data as a Lua table constructor. */
export function toLuaLiteral(value: unknown): string {
  if (value === null || value === undefined) return 'nil';
  if (typeof value === 'boolean') return String(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new Error(`not JSON: ${value}`);
    return String(value);
  }
  if (typeof value === 'string') return luaString(value);
  if (value instanceof Date) return luaString(value.toISOString());
  if (Array.isArray(value)) return `{${value.map(toLuaLiteral).join(', ')}}`;
  if (typeof value === 'object') {
    const fields = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== null && v !== undefined)
      .map(([k, v]) => `[${luaString(k)}] = ${toLuaLiteral(v)}`);
    return `{${fields.join(', ')}}`;
  }
  throw new Error(`not JSON: ${typeof value}`);
}

function luaString(text: string): string {
  // Three-digit decimal escapes (a following digit cannot extend them) for control characters,
  // the quote and the backslash: valid in Lua 5.1 and 5.4.
  return `"${text.replace(/[\u0000-\u001f"\\\u007f]/g, (c) => `\\${String(c.charCodeAt(0)).padStart(3, '0')}`)}"`;
}
