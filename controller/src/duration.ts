/**
 * Go-style durations (time.ParseDuration) as users write them in flags and YAML:
 * `250ms`, `15s`, `5m`, `1h30m`, `1.5h`. Values are milliseconds, the unit every
 * timer in Node takes.
 */

const UNIT_MS: Readonly<Record<string, number>> = {
  ns: 1e-6,
  us: 1e-3,
  µs: 1e-3, // U+00B5 micro sign, as Go accepts
  μs: 1e-3, // U+03BC Greek mu, as Go accepts
  ms: 1,
  s: 1000,
  m: 60_000,
  h: 3_600_000,
};

const SEGMENT = /([0-9]*(?:\.[0-9]*)?)([a-zµμ]+)/y;

const EXPECTED_FORM = 'expected a number followed by a unit (ns, us, ms, s, m or h), such as 250ms, 30s, 5m or 1h30m';

/** Parses a Go-style duration into milliseconds. Throws an Error naming the bad input otherwise. */
export function parseDuration(text: string): number {
  const fail = (): never => {
    throw new Error(`invalid duration ${JSON.stringify(text)}: ${EXPECTED_FORM}`);
  };
  let rest = text;
  let sign = 1;
  if (rest.startsWith('-') || rest.startsWith('+')) {
    if (rest.startsWith('-')) sign = -1;
    rest = rest.slice(1);
  }
  if (rest === '0') return 0; // the only unitless duration Go accepts
  if (rest === '') fail();

  let total = 0;
  SEGMENT.lastIndex = 0;
  while (SEGMENT.lastIndex < rest.length) {
    const match = SEGMENT.exec(rest);
    if (!match) return fail();
    const [, amount = '', unit = ''] = match;
    const unitMs = UNIT_MS[unit];
    if (!/[0-9]/.test(amount) || unitMs === undefined) return fail();
    total += Number(amount) * unitMs;
  }
  if (!Number.isFinite(total)) fail();
  return sign * total;
}

/** Formats milliseconds compactly, as users write durations: 5400000 -> "1h30m", 250 -> "250ms". */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  const sign = ms < 0 ? '-' : '';
  let rest = Math.abs(ms);
  if (rest < 1000) return `${sign}${rest}ms`;
  const hours = Math.floor(rest / 3_600_000);
  rest -= hours * 3_600_000;
  const minutes = Math.floor(rest / 60_000);
  rest -= minutes * 60_000;
  const seconds = rest / 1000;
  let text = sign;
  if (hours > 0) text += `${hours}h`;
  if (minutes > 0) text += `${minutes}m`;
  if (seconds > 0) text += `${Number(seconds.toFixed(3))}s`;
  return text;
}
