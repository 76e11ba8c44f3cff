import { randomBytes } from 'node:crypto';
import { hostname } from 'node:os';
import { SETTINGS, configSchema, type Config, type DefaultContext, type Setting } from './config-flags.ts';

export type { Config, LogLevel } from './config-flags.ts';
export type { BindAddress } from './config-values.ts';
export { formatBindAddress } from './config-values.ts';

type SettingKey = keyof Config;
type AnySetting = Setting<unknown>;

const SETTING_ENTRIES = Object.entries(SETTINGS) as [SettingKey, AnySetting][];
const BY_FLAG = new Map(SETTING_ENTRIES.map(([key, setting]) => [setting.flag, key]));
const OPTIONAL = new Set(
  SETTING_ENTRIES.filter(([key]) => configSchema.shape[key].safeParse(undefined).success).map(([key]) => key),
);
const HELP_FLAGS = new Set(['--help', '-help', '-h']);

/** Every problem found in the flags and environment, reported together so one run shows them all. */
export class ConfigError extends Error {
  readonly problems: readonly string[];

  constructor(problems: readonly string[]) {
    super(`invalid configuration:\n  ${problems.join('\n  ')}`);
    this.name = 'ConfigError';
    this.problems = problems;
  }
}

export interface LoadConfigDeps {
  hostname?: () => string;
  randomSuffix?: () => string;
}

/** True when argv asks for --help; main prints configHelp() and exits instead of loading. */
export function isHelpRequested(argv: readonly string[]): boolean {
  return argv.some((arg) => HELP_FLAGS.has(arg));
}

interface RawValue {
  raw: string;
  fromEnv: boolean;
}

/**
 * Builds the configuration from command-line flags (argv without the node and
 * script paths) and environment variables; a flag wins over its variable, which
 * wins over the default. Throws ConfigError listing every invalid value.
 */
export function loadConfig(argv: readonly string[], env: NodeJS.ProcessEnv, deps: LoadConfigDeps = {}): Config {
  const problems: string[] = [];
  const fromFlags = parseArgv(argv, problems);
  const ctx: DefaultContext = {
    env,
    hostname: deps.hostname ?? hostname,
    randomSuffix: deps.randomSuffix ?? (() => randomBytes(4).toString('hex')),
  };

  const assembled: Record<string, unknown> = {};
  for (const [key, setting] of SETTING_ENTRIES) {
    const envValue = env[setting.env];
    // An empty variable counts as unset: manifests often template `value: ""`.
    const given: RawValue | undefined =
      fromFlags.get(key) ?? (envValue !== undefined && envValue !== '' ? { raw: envValue, fromEnv: true } : undefined);
    if (given === undefined || (given.raw === '' && OPTIONAL.has(key))) {
      const fallback = setting.default(ctx);
      if (fallback !== undefined) assembled[key] = fallback;
      continue;
    }
    const parsed = setting.parser.schema.safeParse(given.raw);
    if (parsed.success) {
      assembled[key] = parsed.data;
    } else {
      const source = given.fromEnv ? ` (env ${setting.env})` : '';
      problems.push(`--${setting.flag}: expected ${setting.parser.expected}, got ${JSON.stringify(given.raw)}${source}`);
    }
  }
  if (problems.length > 0) throw new ConfigError(problems);

  const validated = configSchema.safeParse(assembled);
  if (!validated.success) {
    throw new ConfigError(
      validated.error.issues.map((issue) =>
        issue.code === 'custom' ? issue.message : `internal error in ${issue.path.join('.') || 'config'}: ${issue.message}`,
      ),
    );
  }
  return validated.data;
}

/** Reads `--flag value`, `--flag=value`, `--bool`, `--bool=false` and `--no-bool`. Go's single dash works too. */
function parseArgv(argv: readonly string[], problems: string[]): Map<SettingKey, RawValue> {
  const values = new Map<SettingKey, RawValue>();
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (HELP_FLAGS.has(arg)) continue;
    if (!arg.startsWith('-') || arg === '-' || arg === '--') {
      problems.push(`unexpected argument ${JSON.stringify(arg)}: drs-operator takes only flags; run with --help to list them`);
      continue;
    }
    const body = arg.replace(/^--?/, '');
    const equals = body.indexOf('=');
    const name = equals === -1 ? body : body.slice(0, equals);
    const inline = equals === -1 ? undefined : body.slice(equals + 1);

    const negated = name.startsWith('no-') ? BY_FLAG.get(name.slice(3)) : undefined;
    if (negated !== undefined && SETTINGS[negated].parser.isBoolean) {
      if (inline !== undefined) {
        problems.push(`--${name} does not take a value; use --${name.slice(3)}=${inline} instead`);
      } else {
        values.set(negated, { raw: 'false', fromEnv: false });
      }
      continue;
    }

    const key = BY_FLAG.get(name);
    if (key === undefined) {
      problems.push(`unknown flag --${name}${suggestion(name)}; run with --help to list the flags`);
      continue;
    }
    const setting: AnySetting = SETTINGS[key];
    if (inline !== undefined) {
      values.set(key, { raw: inline, fromEnv: false });
    } else if (setting.parser.isBoolean) {
      values.set(key, { raw: 'true', fromEnv: false });
    } else {
      const next = argv[i + 1];
      if (next === undefined || next.startsWith('--')) {
        problems.push(`--${name} needs a value (${setting.parser.valueName}): use --${name}=VALUE or --${name} VALUE`);
      } else {
        values.set(key, { raw: next, fromEnv: false });
        i += 1;
      }
    }
  }
  return values;
}

function suggestion(name: string): string {
  let best: string | undefined;
  let bestDistance = 3; // only suggest near misses
  for (const flag of BY_FLAG.keys()) {
    const distance = editDistance(name, flag);
    if (distance < bestDistance) {
      best = flag;
      bestDistance = distance;
    }
  }
  return best === undefined ? '' : ` (did you mean --${best}?)`;
}

function editDistance(a: string, b: string): number {
  let previous = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i += 1) {
    const current = [i];
    for (let j = 1; j <= b.length; j += 1) {
      const substitution = (previous[j - 1] ?? 0) + (a[i - 1] === b[j - 1] ? 0 : 1);
      current.push(Math.min((previous[j] ?? 0) + 1, (current[j - 1] ?? 0) + 1, substitution));
    }
    previous = current;
  }
  return previous[b.length] ?? 0;
}

/** The --help text. */
export function configHelp(): string {
  const lines = [
    'Usage: drs-operator [flags]',
    '',
    'Runs the drs-operator controller. Every flag can also be set through the environment',
    'variable shown with it; a flag wins over its variable. Durations use Go syntax',
    '(250ms, 15s, 5m, 1h30m). Boolean flags accept --flag, --flag=false and --no-flag.',
    '',
    'Flags:',
  ];
  for (const [, setting] of SETTING_ENTRIES) {
    const placeholder = setting.parser.isBoolean ? '' : ` ${setting.parser.valueName}`;
    lines.push(`  --${setting.flag}${placeholder}`);
    lines.push(`        ${setting.description}`);
    lines.push(`        env ${setting.env}; default: ${setting.defaultText}`);
  }
  lines.push('  -h, --help', '        Print this help and exit.');
  return `${lines.join('\n')}\n`;
}

/** The configuration reference table embedded in the README. */
export function configReferenceMarkdown(): string {
  const cell = (text: string) => text.replaceAll('|', '\\|');
  const rows = SETTING_ENTRIES.map(([, setting]) => {
    const flag = setting.parser.isBoolean ? `--${setting.flag}` : `--${setting.flag} ${setting.parser.valueName}`;
    return `| \`${flag}\` | \`${setting.env}\` | ${cell(setting.defaultText)} | ${cell(setting.description)} |`;
  });
  return [
    '| Flag | Environment variable | Default | Description |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
  ].join('\n');
}
