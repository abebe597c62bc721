import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    testTimeout: 20_000,
    hookTimeout: 20_000,
    // End-to-end files each start an emulator and a bot; two cores run them best one file per worker.
    fileParallelism: true,
    maxWorkers: 2,
  },
});
