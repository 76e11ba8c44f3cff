import { CH_ERROR_CODES } from '../../controller/src/providers/huawei-clickhouse/errors.ts';
import { SimError } from './sim-error.ts';

export interface DatabaseResult {
  param_name: string;
  value: string;
  check_result: 'success' | 'fail';
}

export interface TableResult {
  table_name: string;
  table_config: string;
  check_result: 'success' | 'fail';
}

/** What the checks answer for one source database until the outcome is cleared (the fix). */
export interface CheckOutcome {
  databaseResults?: DatabaseResult[];
  tableResults?: TableResult[];
  /** Refuse the check itself: HTTP status + error_code + error_msg. */
  error?: { status: number; error_code: string; error_msg: string };
}

/**
 * The source side of the database-check and table-check calls. By default every check passes:
 * the database check reports the source prerequisites it verifies (binlog settings) plus every
 * db_configs entry sent, the table check every table declared for the database. A test sets an
 * outcome per database (failing items, or a refusal) that stays until cleared — a source
 * database stays broken until someone fixes it — and a task is not created for a database
 * whose outcome fails (error code DBS.280204).
 */
export class SourceChecks {
  readonly #outcomes = new Map<string, CheckOutcome>();
  readonly #tables = new Map<string, string[]>();

  set(database: string, outcome: CheckOutcome): void {
    this.#outcomes.set(database, outcome);
  }

  /** The fix: a database (or, without one, every database) passes again. */
  clear(database?: string): void {
    if (database === undefined) this.#outcomes.clear();
    else this.#outcomes.delete(database);
  }

  setTables(database: string, tables: string[]): void {
    this.#tables.set(database, tables);
  }

  databaseCheck(database: string, dbConfigs: { param_name: string; value: string }[]): { database_name: string; db_config_check_results: DatabaseResult[] } {
    const outcome = this.#refuseIfSet(database);
    const results = outcome?.databaseResults ?? [
      { param_name: 'binlog_format', value: 'ROW', check_result: 'success' as const },
      { param_name: 'binlog_row_image', value: 'FULL', check_result: 'success' as const },
      ...dbConfigs.map((c) => ({ param_name: c.param_name, value: c.value, check_result: 'success' as const })),
    ];
    return { database_name: database, db_config_check_results: results };
  }

  tableCheck(database: string, tablesConfigs: { table_name: string; table_config: string }[]): { source_database_name: string; table_config_check_results: TableResult[] } {
    const outcome = this.#refuseIfSet(database);
    const configured = new Map(tablesConfigs.map((t) => [t.table_name, t.table_config]));
    const results = outcome?.tableResults ?? (this.#tables.get(database) ?? []).map((table) => ({ table_name: table, table_config: configured.get(table) ?? '', check_result: 'success' as const }));
    return { source_database_name: database, table_config_check_results: results };
  }

  /** Create runs the same checks: a failing database gets no task. */
  assertPasses(database: string): void {
    const outcome = this.#outcomes.get(database);
    if (!outcome) return;
    const failing = [...(outcome.databaseResults ?? []), ...(outcome.tableResults ?? [])].some((r) => r.check_result === 'fail');
    if (outcome.error || failing) {
      throw new SimError(400, CH_ERROR_CODES.checkFailed, `Database ${database} did not pass the synchronization check. Run the database and table checks for details.`);
    }
  }

  #refuseIfSet(database: string): CheckOutcome | undefined {
    const outcome = this.#outcomes.get(database);
    if (outcome?.error) throw new SimError(outcome.error.status, outcome.error.error_code, outcome.error.error_msg);
    return outcome;
  }
}
