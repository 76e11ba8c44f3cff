import { describe, expect, it } from 'vitest';
import { toObservation, snapshotChanged, isSteady } from '../../../../controller/src/providers/huawei-clickhouse/observation-mapping.ts';
import { toPrecheck } from '../../../../controller/src/providers/huawei-clickhouse/precheck-mapping.ts';
import { mapReplication, parsePercentage } from '../../../../controller/src/providers/huawei-clickhouse/status-map.ts';
import type { ListedReplication } from '../../../../controller/src/providers/huawei-clickhouse/schemas.ts';

const entry = (fields: Partial<ListedReplication>): ListedReplication => ({ source_database: 'orders', target_database: 'orders', status: 'normal', stage: 'wait', catchup_stage: 'wait', percentage: '0', ...fields });

describe('huawei-clickhouse status mapping', () => {
  const table: [Partial<ListedReplication>, string, number | undefined][] = [
    [{ stage: 'wait' }, 'Starting', undefined],
    [{ stage: 'full', percentage: '45' }, 'FullSync', 45],
    [{ stage: 'full', percentage: '45.6%' }, 'FullSync', 46],
    [{ stage: 'incremental', percentage: '100' }, 'IncrementalSync', 100],
    [{ stage: 'other' }, 'Starting', undefined],
    [{ stage: null, catchup_stage: 'full', percentage: 10 }, 'FullSync', 10],
    [{ stage: 'failed' }, 'Failed', undefined],
    [{ status: 'abnormal', stage: 'incremental' }, 'Failed', undefined],
    [{ stage: 'incremental', catchup_stage: 'failed' }, 'Failed', undefined],
  ];
  it.each(table)('%o → %s', (fields, phase, percent) => {
    const mapped = mapReplication(entry(fields));
    expect(mapped.phase).toBe(phase);
    expect(mapped.progress?.percent).toBe(percent);
  });

  it('reports status/stage as the provider status and a failure as final with a message', () => {
    const observed = toObservation({ jobId: 'ch/orders', replication: entry({ status: 'abnormal', stage: 'incremental' }), pages: 1 }, {});
    expect(observed).toMatchObject({ providerStatus: 'abnormal/incremental', phase: 'Failed', recoverable: false, deletable: true, error: { code: 'abnormal' } });
    expect(observed.error!.message).toContain('database orders as abnormal');
    const catchup = mapReplication(entry({ stage: 'incremental', catchup_stage: 'failed' }));
    expect(catchup.error!.message).toContain('while catching up tables');
  });

  it('parses percentages leniently', () => {
    expect(parsePercentage('')).toBeUndefined();
    expect(parsePercentage('-1')).toBeUndefined();
    expect(parsePercentage('abc')).toBeUndefined();
    expect(parsePercentage(150)).toBe(100);
    expect(parsePercentage(null)).toBeUndefined();
  });
});

describe('huawei-clickhouse observation', () => {
  const precheck = toPrecheck({ ok: true, response: { db_config_check_results: [] } }, { ok: true, response: { table_config_check_results: [] } });

  it('an unlisted database that was not started is Configuring, with its pre-check', () => {
    expect(toObservation({ jobId: 'ch/orders', pages: 1 }, { precheck })).toEqual({ jobId: 'ch/orders', providerStatus: 'not-synchronized', phase: 'Configuring', deletable: true, precheck });
    expect(toObservation({ jobId: 'ch/orders', pages: 1 }, {}).precheck).toBeUndefined();
  });

  it('a just-started task not listed yet is Starting; a listed task being deleted is Stopping', () => {
    expect(toObservation({ jobId: 'ch/orders', startPending: true, pages: 1 }, {}).phase).toBe('Starting');
    expect(toObservation({ jobId: 'ch/orders', replication: entry({ stage: 'incremental' }), pages: 1 }, { deleteRequested: true }).phase).toBe('Stopping');
  });

  it('keeps reporting the pre-check that let the task start', () => {
    expect(toObservation({ jobId: 'ch/orders', replication: entry({ stage: 'full', percentage: '5' }), pages: 1 }, { precheck }).precheck).toBe(precheck);
    expect(toObservation({ jobId: 'ch/orders', startPending: true, pages: 1 }, { precheck }).precheck).toBe(precheck);
  });

  it('steady: idle registrations, replicating and failed tasks; changes: stage, status, percentage, presence', () => {
    expect(isSteady({ jobId: 'a', pages: 1 })).toBe(true);
    expect(isSteady({ jobId: 'a', startPending: true, pages: 1 })).toBe(false);
    expect(isSteady({ jobId: 'a', replication: entry({ stage: 'full' }), pages: 1 })).toBe(false);
    expect(isSteady({ jobId: 'a', replication: entry({ stage: 'incremental' }), pages: 1 })).toBe(true);
    const full = { jobId: 'a', replication: entry({ stage: 'full', percentage: '10' }), pages: 1 };
    expect(snapshotChanged(full, { ...full })).toBe(false);
    expect(snapshotChanged(full, { ...full, replication: entry({ stage: 'full', percentage: '20' }) })).toBe(true);
    expect(snapshotChanged(full, { jobId: 'a', pages: 1 })).toBe(true);
    expect(snapshotChanged(undefined, full)).toBe(true);
  });
});

describe('huawei-clickhouse pre-check mapping', () => {
  it('turns check results into items, failures with a reason', () => {
    const check = toPrecheck(
      { ok: true, response: { database_name: 'orders', db_config_check_results: [{ param_name: 'binlog_format', value: 'ROW', check_result: 'success' }, { param_name: 'binlog_row_image', value: 'MINIMAL', check_result: 'fail' }] } },
      { ok: true, response: { table_config_check_results: [{ table_name: 'audit', table_config: 'ORDER BY id', check_result: 'fail' }, { table_name: 'orders', table_config: '', check_result: 'success' }] } },
    );
    expect(check).toMatchObject({ purpose: 'start', finished: true, passed: false, hasAlarms: false, passedRate: '50%' });
    expect(check.items).toEqual([
      { item: 'database setting binlog_format', group: 'database', result: 'PASSED' },
      { item: 'database setting binlog_row_image', group: 'database', result: 'FAILED', failedReason: expect.stringContaining('binlog_row_image=MINIMAL') },
      { item: 'table audit', group: 'table', result: 'FAILED', failedReason: expect.stringContaining('with ClickHouse settings "ORDER BY id"') },
      { item: 'table orders', group: 'table', result: 'PASSED' },
    ]);
  });

  it('a refused check is a FAILED item carrying the API message; unknown results are alarms', () => {
    const check = toPrecheck(
      { ok: false, code: 'DBS.280105', message: 'The database orders does not exist.' },
      { ok: true, response: { table_config_check_results: [{ table_name: 't', table_config: '', check_result: 'warning' }] } },
    );
    expect(check.passed).toBe(false);
    expect(check.hasAlarms).toBe(true);
    expect(check.items[0]).toEqual({ item: 'database check', group: 'database', result: 'FAILED', failedReason: 'The database orders does not exist. (DBS.280105)' });
    expect(check.items[1]).toMatchObject({ item: 'table t', result: 'ALARM' });
  });

  it('passes with no items (100%)', () => {
    const check = toPrecheck({ ok: true, response: {} }, { ok: true, response: {} });
    expect(check).toEqual({ purpose: 'start', finished: true, passed: true, hasAlarms: false, passedRate: '100%', items: [] });
  });
});
