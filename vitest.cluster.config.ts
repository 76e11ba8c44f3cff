import { defineConfig } from 'vitest/config';

/**
 * npm run test:cluster — the integration suite against the cluster KUBECONFIG points at
 * (kind, k3d, ...). Without KUBECONFIG there is no cluster to use: nothing runs, and it says so.
 */
const kubeconfig = process.env.KUBECONFIG;
if (!kubeconfig) console.warn('test:cluster: KUBECONFIG is not set; skipping the real-cluster suite (see README, Tests).');

export default defineConfig({
  test: {
    include: kubeconfig ? ['test/integration/**/*.test.ts'] : [],
    passWithNoTests: true,
    env: { DRS_TEST_CLUSTER: '1' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
