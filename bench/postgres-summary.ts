/** The readable version of the JSON line, for stderr. */
export function pgBenchSummary(report: any): string {
  const { data, fullCopy, baseline, steadyState: steady, environment: env } = report;
  const mb = (bytes: number) => `${(bytes / 1e6).toFixed(0)} MB`;
  return [
    '',
    `PostgreSQL executor benchmark — PostgreSQL ${env.postgres}, Node ${env.node}, ${env.cores} cores (${env.cpu})`,
    `  data         ${data.rows} rows in ${report.settings.tables} tables, ${mb(data.bytes)} (heap ${mb(data.heapBytes)}, ${data.heapBytesPerRow} B/row)`,
    `  full copy    ${fullCopy.seconds} s = ${fullCopy.rowsPerSecond} rows/s, ${fullCopy.MBps} MB/s` +
      ` (setup ${fullCopy.setupSeconds} s, PostgreSQL ready ${fullCopy.pgReadySeconds} s, reported ${fullCopy.reportedSeconds} s)`,
    `  baseline     ${baseline.seconds} s = ${baseline.rowsPerSecond} rows/s, ${baseline.MBps} MB/s (pg_dump | psql) → engine/baseline ${baseline.ratio}×`,
    `  load         ${steady.load.achievedRps} tx/s of ${steady.load.targetRps} asked for, ${steady.load.wallSeconds} s (${steady.load.inserted} inserts, ${steady.load.updated} updates)`,
    `  delay        engine p50 ${steady.delayMs.p50} ms, p95 ${steady.delayMs.p95} ms, max ${steady.delayMs.max} ms (${steady.delayMs.samples} samples);` +
      ` PostgreSQL replay_lag p50 ${steady.pgReplayLagMs.p50} / p95 ${steady.pgReplayLagMs.p95} / max ${steady.pgReplayLagMs.max} ms,` +
      ` flush_lag p50 ${steady.pgFlushLagMs.p50} / p95 ${steady.pgFlushLagMs.p95} / max ${steady.pgFlushLagMs.max} ms`,
    `  catch-up     rows equal ${steady.catchUpSeconds} s after the load; engine delay back to 0 after ${steady.reportedDelayZeroSeconds ?? 'never (60 s)'} s`,
    '',
  ].join('\n');
}
