import type { FaultInjector } from '../../engine/src/faults.ts';
import { faultSettingsEndpoint, type AdminEndpoint } from '../shared/admin.ts';
import { countsEndpoint } from '../shared/counters.ts';
import { listEntry, type ApiState } from './api.ts';
import type { CheckOutcome } from './checks.ts';
import type { IamTokens } from './iam.ts';
import type { SimReplication, Stage } from './replications.ts';

/**
 * /_sim/ endpoints tests and people drive the simulator with:
 *
 * - faults                 GET current, POST|PUT {errorRate, errorStatus, tooManyRequestsRate, latencyMs, rateLimitPerSecond, busyCallRate, dropResponseRate, endpoints}, DELETE reset
 * - calls                  GET answered calls per operation (iam-token included), DELETE resets
 * - replications           GET every task, DELETE removes all
 * - replications/{instance}/{database}        POST {percentage?, stage?, catchup_stage?, status?, hold?}: set fields; hold freezes the task
 * - replications/{instance}/{database}/fail   POST: the task becomes status abnormal, stage failed (final)
 * - check-outcome          POST {database, databaseResults?, tableResults?, error?}: the checks answer this until DELETE {database?}
 * - source-tables          POST {database, tables}: tables the table check reports (passing)
 * - instances              POST {ids: [...] | null}: only these ClickHouse instances exist (null: any)
 * - iam/revoke             POST: every issued token is refused from now on (clients must fetch a new one)
 */
export function adminHandlers(deps: { faults: FaultInjector; calls: Map<string, number>; state: ApiState; iam: IamTokens }): ReadonlyMap<string, AdminEndpoint> {
  const { faults, calls, state, iam } = deps;
  return new Map<string, AdminEndpoint>([
    ['faults', faultSettingsEndpoint(faults)],
    ['calls', countsEndpoint(calls)],
    [
      'replications',
      ({ method, body, path }) => {
        if (path === undefined) {
          if (method === 'DELETE') state.store.clear();
          return { replications: state.store.all().map(describe) };
        }
        // Instance ids and database names are URL segments, so they arrive encoded.
        const [instanceId, database, action] = path.split('/').map(decodeURIComponent);
        if (!instanceId || !database || method !== 'POST') throw new Error('use POST /_sim/replications/{instance}/{database}[/fail]');
        if (action === 'fail') return describe(state.store.fail(instanceId, database));
        if (action !== undefined) throw new Error(`unknown action ${action}`);
        const change = (body ?? {}) as { percentage?: number; stage?: Stage; catchup_stage?: Stage; status?: 'normal' | 'abnormal'; hold?: boolean };
        return describe(
          state.store.patch(instanceId, database, {
            ...(change.percentage !== undefined ? { percentage: change.percentage } : {}),
            ...(change.stage !== undefined ? { stage: change.stage } : {}),
            ...(change.catchup_stage !== undefined ? { catchupStage: change.catchup_stage } : {}),
            ...(change.status !== undefined ? { status: change.status } : {}),
            ...(change.hold !== undefined ? { hold: change.hold } : {}),
          }),
        );
      },
    ],
    [
      'check-outcome',
      ({ method, body }) => {
        const request = (body ?? {}) as CheckOutcome & { database?: string };
        if (method === 'DELETE') {
          state.checks.clear(request.database);
          return {};
        }
        if (!request.database) throw new Error('check-outcome needs database');
        const { database, ...outcome } = request;
        state.checks.set(database, outcome);
        return outcome;
      },
    ],
    [
      'source-tables',
      ({ body }) => {
        const { database, tables } = (body ?? {}) as { database?: string; tables?: string[] };
        if (!database || !Array.isArray(tables)) throw new Error('source-tables needs database and tables');
        state.checks.setTables(database, tables);
        return { database, tables };
      },
    ],
    [
      'instances',
      ({ body }) => {
        const ids = (body as { ids?: string[] | null } | undefined)?.ids;
        state.instances = Array.isArray(ids) ? new Set(ids) : undefined;
        return { ids: ids ?? null };
      },
    ],
    ['iam/revoke', () => ({ revoked: iam.revokeAll() })],
  ]);
}

function describe(r: SimReplication) {
  return { instance_id: r.instanceId, job_id: r.jobId, source_instance_id: r.sourceInstanceId, source_node_id: r.sourceNodeId ?? null, hold: r.hold, ...listEntry(r) };
}
