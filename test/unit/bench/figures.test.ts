import { describe, expect, it } from 'vitest';
import { countsSince, expectedStatusCalls, kubeRequests, perInterval, phaseCounts, providerCalls } from '../../../bench/figures.ts';

describe('benchmark figures', () => {
  const snapshot = {
    since: 0,
    total: 7,
    endpoints: {
      'batch-status': { requests: 6, items: 600, statuses: { '200': 6 } },
      'batch-creation': { requests: 1, items: 16, statuses: { '202': 0, '429': 1 } },
    },
  };

  it('reads calls, items and non-2xx answers by endpoint from simulator stats', () => {
    expect(providerCalls(snapshot)).toEqual({
      total: 7,
      byEndpoint: { 'batch-status': 6, 'batch-creation': 1 },
      itemsByEndpoint: { 'batch-status': 600, 'batch-creation': 16 },
      failedByEndpoint: { 'batch-creation': { '429': 1 } },
    });
  });

  it('averages per interval, to two decimals', () => {
    expect(perInterval(providerCalls(snapshot), 3)).toEqual({
      total: 2.33,
      byEndpoint: { 'batch-status': 2, 'batch-creation': 0.33 },
      itemsByEndpoint: { 'batch-status': 200, 'batch-creation': 5.33 },
    });
  });

  it('expects one batch-status call per started 100 jobs', () => {
    expect([1, 100, 101, 1000].map(expectedStatusCalls)).toEqual([1, 1, 2, 10]);
  });

  it("splits the server's counts into the operator's (by verb) and the benchmark's own", () => {
    const server = { 'create replicationjobs.x': 100, 'create events': 900, 'list replicationjobs.x': 20, 'patch replicationjobs.x/status': 1000, 'watch secrets': 1 };
    expect(kubeRequests(server, { create: 103, list: 20 })).toEqual({
      operator: { total: 1898, byVerb: { create: 897, patch: 1000, watch: 1 } },
      bench: { create: 103, list: 20 },
      byVerbAndResource: server,
    });
  });

  it('counts growth between snapshots, leaving out what did not grow', () => {
    expect(countsSince({ 'patch a': 5, 'create b': 2 }, { 'patch a': 9, 'create b': 2, 'get c': 1 })).toEqual({ 'get c': 1, 'patch a': 4 });
  });

  it('counts phases, a job without status as Pending', () => {
    expect(phaseCounts(['IncrementalSync', undefined, 'Creating', 'IncrementalSync'])).toEqual({ Creating: 1, IncrementalSync: 2, Pending: 1 });
  });
});
