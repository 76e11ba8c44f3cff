import { defineConfig } from 'vitest/config';

/** npm run test:cluster — the integration suite against the cluster KUBECONFIG points at. */
export default defineConfig({
  test: {
    include: ['test/integration/**/*.test.ts'],
    env: { DRS_TEST_CLUSTER: '1' },
    testTimeout: 120_000,
    hookTimeout: 120_000,
    pool: 'forks',
    fileParallelism: false,
  },
});
