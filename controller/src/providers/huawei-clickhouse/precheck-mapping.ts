import type { PrecheckItem, PrecheckObservation } from '../../reconcile/observation.ts';
import type { DatabaseCheckResponse, TableCheckResponse } from './schemas.ts';

/**
 * database-check + table-check answers → the pre-check the planner reads, item by item. Pure.
 * Both checks answer synchronously, so the pre-check is finished once both answered. An answer
 * refusing the check itself (HTTP 400: the source database does not exist, say) is a FAILED
 * item carrying the API's message: the user fixes the database and the check runs again.
 */
export type CheckAnswer<T> = { ok: true; response: T } | { ok: false; code?: string; message: string };

export function toPrecheck(database: CheckAnswer<DatabaseCheckResponse>, tables: CheckAnswer<TableCheckResponse>): PrecheckObservation {
  const items: PrecheckItem[] = [...databaseItems(database), ...tableItems(tables)];
  const passedCount = items.filter((i) => i.result === 'PASSED').length;
  return {
    purpose: 'start',
    finished: true,
    passed: !items.some((i) => i.result === 'FAILED'),
    hasAlarms: items.some((i) => i.result === 'ALARM'),
    passedRate: items.length === 0 ? '100%' : `${Math.floor((passedCount / items.length) * 100)}%`,
    items,
  };
}

function databaseItems(answer: CheckAnswer<DatabaseCheckResponse>): PrecheckItem[] {
  if (!answer.ok) return [refused('database check', 'database', answer)];
  return (answer.response.db_config_check_results ?? []).map((r) => {
    const name = r.param_name ?? 'unnamed setting';
    const setting = `${name}=${r.value ?? ''}`;
    return item(`database setting ${name}`, 'database', r.check_result, `the source database setting ${setting} does not allow synchronization to ClickHouse; change it on the GaussDB(for MySQL) instance`);
  });
}

function tableItems(answer: CheckAnswer<TableCheckResponse>): PrecheckItem[] {
  if (!answer.ok) return [refused('table check', 'table', answer)];
  return (answer.response.table_config_check_results ?? []).map((r) => {
    const table = r.table_name ?? 'unnamed table';
    const config = r.table_config ? ` with ClickHouse settings "${r.table_config}"` : '';
    return item(`table ${table}`, 'table', r.check_result, `table ${table} cannot be synchronized${config}; fix the table on the source (a primary key and supported column types are required)`);
  });
}

/** check_result: success | fail per the reference; anything else is shown as an ALARM so it is seen, not guessed. */
function item(name: string, group: string, result: string | null | undefined, failure: string): PrecheckItem {
  const value = (result ?? '').toLowerCase();
  if (value === 'success' || value === 'pass' || value === 'passed') return { item: name, group, result: 'PASSED' };
  if (value === 'fail' || value === 'failed') return { item: name, group, result: 'FAILED', failedReason: failure };
  return { item: name, group, result: 'ALARM', failedReason: `the check answered "${result ?? ''}", which the operator does not know; review it in the console` };
}

function refused(name: string, group: string, answer: { code?: string; message: string }): PrecheckItem {
  return { item: name, group, result: 'FAILED', failedReason: `${answer.message}${answer.code ? ` (${answer.code})` : ''}` };
}
