import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import type { z } from 'zod';
import * as S from '../../../../controller/src/providers/huawei-drs/schemas.ts';
import { DRS_ENDPOINTS } from '../../../../controller/src/providers/huawei-drs/endpoints.ts';
import { huaweiApiUrl } from '../../../../controller/src/providers/huawei/endpoints.ts';

interface Fixture {
  section: string;
  requests?: unknown[];
  responses: unknown[];
}

function fixture(name: string): Fixture {
  return JSON.parse(readFileSync(new URL(`./fixtures/${name}.json`, import.meta.url), 'utf8')) as Fixture;
}

/** Each fixture holds the reference's own Example Request / Example Response bodies. */
const CASES: { file: string; request?: z.ZodType; response: z.ZodType }[] = [
  { file: 'batch-creation', request: S.BatchCreationRequest, response: S.BatchCreationResponse },
  { file: 'batch-connection', request: S.BatchConnectionRequest, response: S.BatchConnectionResponse },
  { file: 'batch-modification', request: S.BatchModificationRequest, response: S.BatchModificationResponse },
  { file: 'batch-select-objects', request: S.BatchSelectObjectsRequest, response: S.BatchSelectObjectsResponse },
  { file: 'batch-sync-policy', request: S.BatchSyncPolicyRequest, response: S.BatchSyncPolicyResponse },
  { file: 'batch-limit-speed', request: S.BatchLimitSpeedRequest, response: S.BatchLimitSpeedResponse },
  { file: 'batch-precheck', request: S.BatchPrecheckRequest, response: S.BatchPrecheckResponse },
  { file: 'batch-precheck-result', request: S.BatchPrecheckResultRequest, response: S.BatchPrecheckResultResponse },
  { file: 'batch-starting', request: S.BatchStartingRequest, response: S.BatchStartingResponse },
  { file: 'batch-retry-task', request: S.BatchRetryTaskRequest, response: S.BatchRetryTaskResponse },
  { file: 'batch-pause-task', request: S.BatchPauseTaskRequest, response: S.BatchPauseTaskResponse },
  { file: 'batch-jobs', request: S.BatchJobsDeleteRequest, response: S.BatchJobsDeleteResponse },
  { file: 'batch-modify-pwd', request: S.BatchModifyPwdRequest, response: S.BatchModifyPwdResponse },
  { file: 'batch-status', request: S.BatchStatusRequest, response: S.BatchStatusResponse },
  { file: 'batch-detail', request: S.BatchDetailRequest, response: S.BatchDetailResponse },
  { file: 'batch-progress', request: S.BatchProgressRequest, response: S.BatchProgressResponse },
  { file: 'list-jobs', request: S.ListJobsRequest, response: S.ListJobsResponse },
  { file: 'error-body', response: S.DrsErrorBody },
];

/**
 * Seed examples that contradict their own table. The schema follows the table; these tests pin
 * down exactly which rule the example breaks, so a schema change cannot hide behind them.
 */
const TABLE_CONTRADICTIONS: Record<string, Record<number, string[]>> = {
  // Table 4-14 makes db_user and db_password mandatory; the Kafka PLAINTEXT and SSL examples omit them.
  'batch-connection': { 3: ['jobs.0.db_user', 'jobs.0.db_password'], 5: ['jobs.0.db_user', 'jobs.0.db_password'] },
};

describe('schemas accept the reference examples', () => {
  for (const { file, request, response } of CASES) {
    const data = fixture(file);
    describe(`${file} (${data.section})`, () => {
      (data.requests ?? []).forEach((body, index) => {
        const broken = TABLE_CONTRADICTIONS[file]?.[index];
        it(`example request ${index + 1}${broken ? ' breaks its table as documented' : ''}`, () => {
          const result = request!.safeParse(body);
          if (broken) {
            expect(result.success).toBe(false);
            expect(result.error!.issues.map((issue) => issue.path.join('.')).sort()).toEqual([...broken].sort());
          } else {
            expect(result.error?.issues ?? []).toEqual([]);
          }
        });
      });
      data.responses.forEach((body, index) => {
        it(`example response ${index + 1}`, () => {
          const result = response.safeParse(body);
          expect(result.error?.issues ?? []).toEqual([]);
        });
      });
    });
  }
});

describe('what the schemas read out of the examples', () => {
  it('creation: task status typed, unknown fields dropped from requests', () => {
    const request = S.BatchCreationRequest.parse(fixture('batch-creation').requests![0]);
    expect(request.jobs[0]).not.toHaveProperty('is_target_READONLY');
    expect(request.jobs[0]!.customize_sutnet_id).toBe('352ad828-3467-4f03-987a-c55a5a9dd417');
    const response = S.BatchCreationResponse.parse(fixture('batch-creation').responses[0]);
    expect(response.results[0]).toMatchObject({ id: 'e11eaf8f-71ef-4fad-8890-aed7572ajb11', status: 'CREATING', create_time: '1599188556112' });
  });

  it('modification: a numeric-string db_port becomes a number', () => {
    const request = S.BatchModificationRequest.parse(fixture('batch-modification').requests![3]);
    expect(request.jobs[0]!.source_endpoint!.db_port).toBe(3306);
  });

  it('stop: a busy item is visible per item', () => {
    const response = S.BatchJobsDeleteResponse.parse(fixture('batch-jobs').responses[0]);
    expect(response.results.map((r) => [r.status, r.error_code ?? null])).toEqual([
      ['success', null],
      ['failed', S.DRS_ERROR_CODES.busy],
    ]);
  });

  it('precheck result: items with PASSED / ALARM and the pass rate', () => {
    const response = S.BatchPrecheckResultResponse.parse(fixture('batch-precheck-result').responses[1]);
    const result = response.results[0]!;
    expect(result).toMatchObject({ result: true, process: '100%', total_passed_rate: '100%' });
    expect(result.precheck_result!.filter((item) => item.result === 'ALARM').map((item) => item.item)).toEqual(['srcCollHasTtlIndex', 'srcShardKeyConfiguration']);
  });

  it('progress: the progress map and null remaining times', () => {
    const response = S.BatchProgressResponse.parse(fixture('batch-progress').responses[1]);
    expect(response.results[1]!.progress_map!.struct).toEqual({ completed: '94%', remaining_time: null });
  });

  it('detail and list: loose objects keep fields the tables do not list', () => {
    const detail = S.BatchDetailResponse.parse(fixture('batch-detail').responses[0]);
    expect(detail.results.map((job) => job.status)).toEqual(['STARTJOBING', 'CONFIGURATION']);
    expect(detail.results[0]).toHaveProperty('is_target_READONLY', true);
    const list = S.ListJobsResponse.parse(fixture('list-jobs').responses[0]);
    expect(list.total_record).toBe(7);
    expect(list.jobs.map((job) => job.status)).toContain('RELEASE_RESOURCE_COMPLETE');
  });
});

describe('schemas enforce the tables', () => {
  const createJob = () => structuredClone((fixture('batch-creation').requests![0] as { jobs: unknown[] }).jobs[0]) as Record<string, unknown>;

  it('requires the mandatory creation fields and checks enums and the name format', () => {
    for (const field of ['name', 'db_use_type', 'engine_type', 'job_direction', 'customize_sutnet_id', 'net_type', 'node_type', 'source_endpoint', 'target_endpoint', 'task_type']) {
      const job = createJob();
      delete job[field];
      expect(S.CreateJobItem.safeParse(job).success, field).toBe(false);
    }
    expect(S.CreateJobItem.safeParse({ ...createJob(), node_type: 'huge' }).success).toBe(false);
    expect(S.CreateJobItem.safeParse({ ...createJob(), name: '1abc' }).success).toBe(false);
    expect(S.CreateJobItem.safeParse({ ...createJob(), name: 'abc' }).success).toBe(false);
    expect(S.CreateJobItem.safeParse({ ...createJob(), description: 'no <html>' }).success).toBe(false);
    expect(S.BatchCreationRequest.safeParse({ jobs: [] }).success).toBe(false);
  });

  it('checks delete types, pause modes, precheck modes and endpoint types', () => {
    expect(S.DeleteJobItem.safeParse({ delete_type: 'purge', job_id: 'x' }).success).toBe(false);
    expect(S.PauseJobItem.safeParse({ job_id: 'x', pause_mode: 'source' }).success).toBe(false);
    expect(S.PrecheckItem.safeParse({ job_id: 'x', precheck_mode: 'forStart' }).success).toBe(false);
    expect(S.ModifyPasswordItem.safeParse({ job_id: 'x', end_point_type: 'src', db_password: 'p' }).success).toBe(false);
  });

  it('checks flow-control windows', () => {
    const ok = { begin: '16:00', end: '15:59', speed: '15' };
    expect(S.SpeedLimitWindow.safeParse(ok).success).toBe(true);
    expect(S.SpeedLimitWindow.safeParse({ ...ok, end: '15:30' }).success).toBe(false);
    expect(S.SpeedLimitWindow.safeParse({ ...ok, begin: '24:00' }).success).toBe(false);
    expect(S.SpeedLimitWindow.safeParse({ ...ok, speed: '0' }).success).toBe(false);
    expect(S.SpeedLimitWindow.safeParse({ ...ok, speed: '10000' }).success).toBe(false);
    expect(S.SpeedLimitItem.safeParse({ job_id: 'x', speed_limit: Array.from({ length: 11 }, () => ok) }).success).toBe(false);
    expect(S.SpeedLimitItem.safeParse({ job_id: 'x', speed_limit: [] }).success).toBe(true);
  });

  it('checks paging limits and unique precheck-result IDs', () => {
    expect(S.BatchStatusRequest.safeParse({ jobs: ['a'], page_req: { cur_page: 1, per_page: 101 } }).success).toBe(false);
    expect(S.BatchPrecheckResultRequest.safeParse({ jobs: ['a', 'a'] }).success).toBe(false);
    expect(S.ListJobsRequest.safeParse({ cur_page: 1, per_page: 10 }).success).toBe(false);
  });

  it('is strict on the types of response fields it reads', () => {
    expect(S.BatchStatusResponse.safeParse({ results: [{ id: 'a', status: 'RUNNING' }], count: 1 }).success).toBe(false);
    expect(S.BatchStatusResponse.safeParse({ results: [{ id: 'a', status: 'PAUSING', extra: { x: 1 } }], count: 1 }).success).toBe(true);
    expect(S.BatchConnectionResponse.safeParse({ results: [{ id: 'a', success: 'yes' }] }).success).toBe(false);
    expect(S.PrecheckResult.safeParse({ precheck_id: 'a', result: 'true' }).success).toBe(false);
    expect(S.DrsErrorBody.safeParse({ error_code: 'DRS.M00202' }).success).toBe(false);
  });

  it('lists all 29 task statuses, A.4 included', () => {
    expect(S.DRS_JOB_STATUSES).toHaveLength(29);
    expect(S.DRS_JOB_STATUSES).toEqual(expect.arrayContaining(['CREATING', 'INCRE_TRANSFER_STARTED', 'RELEASE_CHILD_TRANSFER_COMPLETE', 'DELETED']));
  });
});

describe('endpoints', () => {
  it('names method and path of every operation', () => {
    expect(DRS_ENDPOINTS['batch-jobs']).toEqual({ method: 'DELETE', path: '/v3/{project_id}/jobs/batch-jobs' });
    expect(DRS_ENDPOINTS['batch-modification'].method).toBe('PUT');
    expect(DRS_ENDPOINTS['list-jobs']).toEqual({ method: 'POST', path: '/v3/{project_id}/jobs' });
    expect(huaweiApiUrl('https://drs.example.com/', DRS_ENDPOINTS['batch-status'].path, { project_id: 'p1' })).toBe('https://drs.example.com/v3/p1/jobs/batch-status');
  });
});
