import type { ProgressStatus } from '../api/replication-job-status.ts';
import { isMaterialDelayChange } from '../reconcile/delay-change.ts';

/**
 * Whether a job's progress moved enough to wake its reconcile: any change of percent, or a
 * material change of delay (delay jitters on every poll; see isMaterialDelayChange). Pollers
 * compare the progress of a job's last two snapshots with it.
 */
export function isMaterialProgressChange(before: ProgressStatus | undefined, after: ProgressStatus | undefined): boolean {
  return before?.percent !== after?.percent || isMaterialDelayChange(before?.incrementalDelaySeconds, after?.incrementalDelaySeconds);
}
