/**
 * Just enough of the Dockerfile and .dockerignore formats to check the image's recipe without a
 * Docker engine: instructions per stage (continuations and comments handled), COPY sources and
 * flags, and the build context's ignore rules (last matching pattern wins, `!` re-includes, a
 * pattern matching a directory matches everything under it).
 */

export interface Instruction {
  keyword: string;
  /** Everything after the keyword, continuations joined. */
  args: string;
  line: number;
}

export interface Stage {
  base: string;
  name?: string;
  instructions: Instruction[];
}

export function parseDockerfile(text: string): Stage[] {
  const stages: Stage[] = [];
  const lines = text.split('\n');
  for (let i = 0; i < lines.length; i++) {
    const start = i;
    let logical = lines[i] ?? '';
    if (/^\s*(#|$)/.test(logical)) continue;
    while (/\\\s*$/.test(logical) && i + 1 < lines.length) {
      i++;
      const next = lines[i] ?? '';
      // Comment lines inside a continued instruction are dropped, as BuildKit does.
      if (/^\s*#/.test(next)) continue;
      logical = `${logical.replace(/\\\s*$/, '')} ${next.trim()}`;
    }
    const match = /^\s*([A-Za-z]+)\s+(.*)$/.exec(logical);
    if (!match) throw new Error(`Dockerfile line ${start + 1}: cannot parse ${JSON.stringify(logical)}`);
    const keyword = (match[1] as string).toUpperCase();
    const args = (match[2] as string).trim();
    if (keyword === 'FROM') {
      const from = /^(?:--platform=\S+\s+)?(\S+)(?:\s+AS\s+(\S+))?$/i.exec(args);
      if (!from) throw new Error(`Dockerfile line ${start + 1}: cannot parse FROM ${args}`);
      stages.push({ base: from[1] as string, ...(from[2] ? { name: from[2] } : {}), instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) {
      if (keyword === 'ARG') continue; // global build arguments before the first FROM
      throw new Error(`Dockerfile line ${start + 1}: ${keyword} before any FROM`);
    }
    stage.instructions.push({ keyword, args, line: start + 1 });
  }
  return stages;
}

export interface Copy {
  from?: string;
  sources: string[];
  destination: string;
  line: number;
}

/** COPY and ADD instructions of a stage, shell or JSON form. */
export function copiesOf(stage: Stage): Copy[] {
  return stage.instructions
    .filter((i) => i.keyword === 'COPY' || i.keyword === 'ADD')
    .map((i) => {
      const words = i.args.split(/\s+/);
      const flags = [];
      while (words[0]?.startsWith('--')) flags.push(words.shift() as string);
      const rest = words.join(' ');
      const paths: string[] = rest.startsWith('[') ? (JSON.parse(rest) as string[]) : words;
      const from = flags.find((f) => f.startsWith('--from='))?.slice('--from='.length);
      return { ...(from ? { from } : {}), sources: paths.slice(0, -1), destination: paths.at(-1) as string, line: i.line };
    });
}

/** Whether `path` (relative to the context root, `/`-separated) is left out of the build context. */
export function isIgnored(dockerignore: string, path: string): boolean {
  const patterns = dockerignore
    .split('\n')
    .map((l) => l.trim())
    .filter((l) => l !== '' && !l.startsWith('#'));
  const parts = path.split('/');
  const selfAndParents = parts.map((_, i) => parts.slice(0, i + 1).join('/'));
  let ignored = false;
  for (const raw of patterns) {
    const negated = raw.startsWith('!');
    const pattern = (negated ? raw.slice(1) : raw).replace(/^\/+/, '').replace(/\/+$/, '');
    if (selfAndParents.some((p) => globToRegExp(pattern).test(p))) ignored = !negated;
  }
  return ignored;
}

function globToRegExp(pattern: string): RegExp {
  let source = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i] as string;
    if (c === '*' && pattern[i + 1] === '*') {
      source += '.*';
      i++;
      if (pattern[i + 1] === '/') i++;
    } else if (c === '*') source += '[^/]*';
    else if (c === '?') source += '[^/]';
    else source += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${source}$`);
}
