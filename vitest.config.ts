import { availableParallelism } from 'node:os';
import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/ if src/ is newer, for the tests that run bin/dedupe.js or worker threads.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    // Test files share a worker and its loaded modules (no test mocks a module or changes the
    // process's state): loading src/ once per worker rather than once per file halves the CPU
    // time. Several tests wait on a child process (the Multitool, the binary): one worker per CPU,
    // and at least two, keeps the CPUs busy meanwhile.
    isolate: false,
    maxWorkers: Math.max(2, availableParallelism()),
    coverage: {
      provider: 'v8',
      include: ['src/**'],
    },
  },
});
