// meta.k8s.io Table output (what `kubectl get` asks for with
// `Accept: application/json;as=Table;v=v1;g=meta.k8s.io`). CRDs get the
// apiextensions table convertor (Name + additionalPrinterColumns, or a default
// Age column when none are declared); built-ins get their printers' columns.
import { goNumber } from './field-errors.ts';
import { evaluateJSONPath, parseJSONPath } from './jsonpath.ts';
import type { KubeObject } from './store.ts';

export interface ColumnDefinition {
  name: string;
  type: string;
  format: string;
  description: string;
  priority: number;
}

export interface TableConvertor {
  readonly columns: readonly ColumnDefinition[];
  cells(obj: KubeObject, now: Date): unknown[];
}

export const NAME_DESCRIPTION =
  'Name must be unique within a namespace. Is required when creating resources, although some resources may allow a client to request the generation of an appropriate name automatically. Name is primarily intended for creation idempotence and configuration definition. Cannot be updated. More info: https://kubernetes.io/docs/concepts/overview/working-with-objects/names#names';

export const CREATION_TIMESTAMP_DESCRIPTION =
  'CreationTimestamp is a timestamp representing the server time when this object was created. It is not guaranteed to be set in happens-before order across separate operations. Clients may not set this value. It is represented in RFC3339 form and is in UTC.\n\nPopulated by the system. Read-only. Null for lists. More info: https://git.k8s.io/community/contributors/devel/sig-architecture/api-conventions.md#metadata';

const NAME_COLUMN: ColumnDefinition = { name: 'Name', type: 'string', format: 'name', description: NAME_DESCRIPTION, priority: 0 };

/** k8s.io/apimachinery/pkg/util/duration.HumanDuration. */
export function humanDuration(ms: number): string {
  const seconds = Math.floor(ms / 1000);
  if (seconds < -1) return '<invalid>';
  if (seconds < 0) return '0s';
  if (seconds < 60 * 2) return `${seconds}s`;
  const minutes = Math.floor(ms / 60_000);
  if (minutes < 10) {
    const s = seconds % 60;
    return s === 0 ? `${minutes}m` : `${minutes}m${s}s`;
  }
  if (minutes < 60 * 3) return `${minutes}m`;
  const hours = Math.floor(ms / 3_600_000);
  if (hours < 8) {
    const m = minutes % 60;
    return m === 0 ? `${hours}h` : `${hours}h${m}m`;
  }
  if (hours < 48) return `${hours}h`;
  if (hours < 24 * 8) {
    const h = hours % 24;
    return h === 0 ? `${Math.floor(hours / 24)}d` : `${Math.floor(hours / 24)}d${h}h`;
  }
  if (hours < 24 * 365 * 2) return `${Math.floor(hours / 24)}d`;
  if (hours < 24 * 365 * 8) {
    const dy = Math.floor(hours / 24) % 365;
    return dy === 0 ? `${Math.floor(hours / 24 / 365)}y` : `${Math.floor(hours / 24 / 365)}y${dy}d`;
  }
  return `${Math.floor(hours / 24 / 365)}y`;
}

/** translateTimestampSince: `<unknown>` for a missing timestamp. */
export function age(timestamp: unknown, now: Date): string {
  if (typeof timestamp !== 'string' || !timestamp) return '<unknown>';
  const t = Date.parse(timestamp);
  return Number.isNaN(t) ? '<unknown>' : humanDuration(now.getTime() - t);
}

export interface PrinterColumn {
  name: string;
  type: string;
  format?: string;
  description?: string;
  priority?: number;
  jsonPath: string;
}

function printValue(value: unknown): string {
  if (typeof value === 'string') return value;
  if (typeof value === 'number') return goNumber(value);
  if (typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** cellForJSONValue: typed columns only show values of their type. */
function cellForJSONValue(type: string, value: unknown, now: Date): unknown {
  if (value === null || value === undefined) return null;
  switch (type) {
    case 'integer':
      return typeof value === 'number' ? Math.trunc(value) : null;
    case 'number':
      return typeof value === 'number' ? value : null;
    case 'boolean':
      return typeof value === 'boolean' ? value : null;
    case 'string':
      return typeof value === 'string' ? value : null;
    case 'date':
      if (typeof value !== 'string') return null;
      return Number.isNaN(Date.parse(value)) ? '<invalid>' : humanDuration(now.getTime() - Date.parse(value));
    default:
      return null;
  }
}

/** The apiextensions table convertor for a CRD version's additionalPrinterColumns. */
export function customResourceTable(printerColumns: readonly PrinterColumn[] | undefined): TableConvertor {
  const declared =
    printerColumns && printerColumns.length > 0
      ? printerColumns
      : [{ name: 'Age', type: 'date', jsonPath: '.metadata.creationTimestamp', description: CREATION_TIMESTAMP_DESCRIPTION }];
  const paths = declared.map((c) => parseJSONPath(c.jsonPath));
  const columns: ColumnDefinition[] = [
    NAME_COLUMN,
    ...declared.map((c) => ({
      name: c.name,
      type: c.type,
      format: c.format ?? '',
      description: c.description || `Custom resource definition column (in JSONPath format): ${c.jsonPath}`,
      priority: c.priority ?? 0,
    })),
  ];
  return {
    columns,
    cells(obj, now) {
      const cells: unknown[] = [obj.metadata?.name ?? ''];
      declared.forEach((column, i) => {
        const results = evaluateJSONPath(paths[i] ?? [], obj);
        if (results.length === 0) {
          cells.push(null);
          return;
        }
        const value = results[0];
        cells.push(column.type === 'string' ? printValue(value) : cellForJSONValue(column.type, value, now));
      });
      return cells;
    },
  };
}

/** A built-in resource's printer: Name, the given columns, then Age. */
export function builtinTable(extra: { column: Omit<ColumnDefinition, 'priority' | 'format'> & Partial<ColumnDefinition>; cell: (obj: KubeObject) => unknown }[]): TableConvertor {
  const ageColumn: ColumnDefinition = { name: 'Age', type: 'string', format: '', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 };
  return {
    columns: [NAME_COLUMN, ...extra.map((e) => ({ format: '', priority: 0, ...e.column })), ageColumn],
    cells: (obj, now) => [obj.metadata?.name ?? '', ...extra.map((e) => e.cell(obj)), age(obj.metadata?.creationTimestamp, now)],
  };
}

/** rest.NewDefaultTableConvertor: Name and "Created At". */
export function defaultTable(): TableConvertor {
  return {
    columns: [
      NAME_COLUMN,
      { name: 'Created At', type: 'date', format: '', description: CREATION_TIMESTAMP_DESCRIPTION, priority: 0 },
    ],
    cells: (obj) => [obj.metadata?.name ?? '', obj.metadata?.creationTimestamp ?? null],
  };
}

export type IncludeObject = 'None' | 'Metadata' | 'Object';

export interface TableOptions {
  /** meta.k8s.io/v1 or meta.k8s.io/v1beta1 */
  apiVersion: string;
  includeObject: IncludeObject;
  noHeaders: boolean;
}

export interface Table {
  kind: 'Table';
  apiVersion: string;
  metadata: Record<string, unknown>;
  columnDefinitions: ColumnDefinition[] | null;
  rows: { cells: unknown[]; object?: unknown }[];
}

function rowObject(obj: KubeObject, includeObject: IncludeObject, apiVersion: string): unknown {
  switch (includeObject) {
    case 'None':
      return null;
    case 'Object':
      return obj;
    default:
      return { kind: 'PartialObjectMetadata', apiVersion, metadata: obj.metadata ?? {} };
  }
}

export function toTable(
  convertor: TableConvertor,
  objects: readonly KubeObject[],
  options: TableOptions,
  listMeta: Record<string, unknown>,
): Table {
  const now = new Date();
  return {
    kind: 'Table',
    apiVersion: options.apiVersion,
    metadata: listMeta,
    columnDefinitions: options.noHeaders ? null : [...convertor.columns],
    rows: objects.map((obj) => ({
      cells: convertor.cells(obj, now),
      object: rowObject(obj, options.includeObject, options.apiVersion),
    })),
  };
}
