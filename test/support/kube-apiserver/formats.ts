// String formats CRD schemas may declare (the kube-openapi strfmt registry the
// apiserver validates against). Unknown formats are accepted, as there.

const RFC3339 = /^(\d{4})-(\d{2})-(\d{2})[Tt ](\d{2}):(\d{2}):(\d{2})(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/;
const DATE = /^(\d{4})-(\d{2})-(\d{2})$/;
const UUID = /^[0-9a-fA-F]{8}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{4}-?[0-9a-fA-F]{12}$/;
const HOSTNAME = /^([a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)(\.[a-zA-Z0-9]([-a-zA-Z0-9]{0,61}[a-zA-Z0-9])?)*\.?$/;
const EMAIL = /^[^@\s]+@[^@\s]+$/;
const IPV4 = /^((25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)\.){3}(25[0-5]|2[0-4]\d|1\d\d|[1-9]?\d)$/;
const MAC = /^([0-9a-fA-F]{2}[:-]){5}[0-9a-fA-F]{2}$/;
const BASE64 = /^([A-Za-z0-9+/]{4})*([A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const DURATION = /^(\d+(\.\d+)?\s*(ns|us|µs|ms|s|m|h|d|w)\s*)+$/;

function validDate(y: string, m: string, d: string): boolean {
  const date = new Date(Date.UTC(Number(y), Number(m) - 1, Number(d)));
  return date.getUTCFullYear() === Number(y) && date.getUTCMonth() === Number(m) - 1 && date.getUTCDate() === Number(d);
}

function isIPv6(value: string): boolean {
  if (!/^[0-9a-fA-F:.]+$/.test(value) || !value.includes(':')) return false;
  const halves = value.split('::');
  if (halves.length > 2) return false;
  const groups = halves.flatMap((h) => (h ? h.split(':') : []));
  const hasV4Tail = groups.length > 0 && IPV4.test(groups[groups.length - 1] as string);
  const hexGroups = hasV4Tail ? groups.slice(0, -1) : groups;
  if (!hexGroups.every((g) => /^[0-9a-fA-F]{1,4}$/.test(g))) return false;
  const count = hexGroups.length + (hasV4Tail ? 2 : 0);
  return halves.length === 2 ? count < 8 : count === 8;
}

/** Returns true when `value` fails the named format. */
export function checkFormat(format: string, value: string): boolean {
  switch (format) {
    case 'date-time':
    case 'datetime': {
      const m = RFC3339.exec(value);
      return !m || !validDate(m[1] as string, m[2] as string, m[3] as string) || Number(m[4]) > 23 || Number(m[5]) > 59 || Number(m[6]) > 60;
    }
    case 'date': {
      const m = DATE.exec(value);
      return !m || !validDate(m[1] as string, m[2] as string, m[3] as string);
    }
    case 'uuid':
    case 'uuid3':
    case 'uuid4':
    case 'uuid5':
      return !UUID.test(value);
    case 'hostname':
      return value.length > 253 || !HOSTNAME.test(value);
    case 'email':
      return !EMAIL.test(value);
    case 'ipv4':
      return !IPV4.test(value);
    case 'ipv6':
      return !isIPv6(value);
    case 'cidr': {
      const [ip, bits, ...rest] = value.split('/');
      if (rest.length > 0 || ip === undefined || bits === undefined || !/^\d+$/.test(bits)) return true;
      if (IPV4.test(ip)) return Number(bits) > 32;
      return !isIPv6(ip) || Number(bits) > 128;
    }
    case 'mac':
      return !MAC.test(value);
    case 'byte':
      return !BASE64.test(value);
    case 'duration':
      return !DURATION.test(value);
    default:
      return false;
  }
}
