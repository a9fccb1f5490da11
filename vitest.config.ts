import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['tests/**/*.test.ts'],
    // Builds dist/ if src/ is newer, for the tests that run bin/dedupe.js or worker threads.
    globalSetup: ['tests/global-setup.ts'],
    testTimeout: 30_000,
    coverage: {
      provider: 'v8',
      include: ['src/**'],
    },
  },
});
