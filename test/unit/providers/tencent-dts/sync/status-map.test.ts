import { describe, expect, it } from 'vitest';
import { SYNC_STATUSES, TRADE_STATUSES } from '../../../../../controller/src/providers/tencent-dts/sync/enums.ts';
import { deleteStep, isGoneStatus, isSteadyStatus, mapDtsStatus, syncPhase } from '../../../../../controller/src/providers/tencent-dts/sync/status-map.ts';

const incremental = { StepAll: 4, StepNow: 4 };
const copying = { StepAll: 4, StepNow: 3 };

describe('DTS sync status map', () => {
  it.each([
    ['UnInitialized', 'Configuring', true, true],
    ['Initialized', 'Configuring', true, true],
    ['Checking', 'Configuring', false, true],
    ['CheckPass', 'Configuring', true, true],
    ['CheckNotPass', 'Configuring', true, true],
    ['ReadyRunning', 'Starting', false, true],
    ['Pausing', 'Paused', false, true],
    ['Paused', 'Paused', false, true],
    ['Stopping', 'Stopping', false, true],
    ['Stopped', 'Stopped', true, true],
    ['ResumableErr', 'Failed', false, true],
    ['Resuming', 'Starting', false, true],
    ['Failed', 'Failed', true, false],
    ['Resetting', 'Creating', false, true],
    ['Unknown', 'Starting', false, true],
  ] as const)('%s → %s (deletable %s, recoverable %s)', (status, phase, deletable, recoverable) => {
    expect(mapDtsStatus(status, 'Normal')).toEqual({ phase, deletable, recoverable });
  });

  it('maps every documented status (Running by its step, Released as gone)', () => {
    for (const status of SYNC_STATUSES) {
      if (status === 'Released') expect(isGoneStatus(status)).toBe(true);
      else expect(mapDtsStatus(status, 'Normal').phase).toBeDefined();
    }
  });

  it('Running is incremental only in the last step (where DTS reports SecondsBehindMaster)', () => {
    expect(mapDtsStatus('Running', 'Normal', incremental).phase).toBe('IncrementalSync');
    expect(mapDtsStatus('Running', 'Normal', copying).phase).toBe('FullSync');
    expect(syncPhase(undefined)).toBe('FullSync');
    expect(syncPhase({ StepAll: 0, StepNow: 0 })).toBe('FullSync');
  });

  it('a job whose billing is leaving is Stopped and deletable whatever its status', () => {
    for (const trade of ['Isolating', 'Isolated', 'Offlining', 'Offlined']) {
      expect(mapDtsStatus('CheckPass', trade)).toEqual({ phase: 'Stopped', deletable: true, recoverable: false });
      expect(mapDtsStatus('Stopped', trade).phase).toBe('Stopped');
    }
    for (const trade of TRADE_STATUSES.filter((t) => !['Isolating', 'Isolated', 'Offlining', 'Offlined'].includes(t))) {
      expect(mapDtsStatus('Running', trade, incremental).phase).toBe('IncrementalSync');
    }
  });

  it('delete isolates, waits while isolating or going offline, destroys once isolated', () => {
    expect(deleteStep('Normal')).toBe('isolate');
    expect(deleteStep('NotBilled')).toBe('isolate');
    expect(deleteStep(undefined)).toBe('isolate');
    expect(deleteStep('Isolating')).toBe('wait');
    expect(deleteStep('Isolated')).toBe('destroy');
    expect(deleteStep('Offlining')).toBe('wait');
    expect(deleteStep('Offlined')).toBe('wait');
  });

  it('is steady only where nothing moves without an action', () => {
    expect(isSteadyStatus('Running', 'Normal', incremental)).toBe(true);
    expect(isSteadyStatus('Running', 'Normal', copying)).toBe(false);
    expect(isSteadyStatus('Checking', 'NotBilled')).toBe(false);
    expect(isSteadyStatus('Paused', 'Normal')).toBe(true);
    expect(isSteadyStatus('Stopped', 'Isolating')).toBe(false);
    expect(isSteadyStatus('Stopped', 'Isolated')).toBe(true);
  });
});
