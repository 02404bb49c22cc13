import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // Generous: end-to-end tests drive real processes, git and HTTP, and on a loaded 2-core machine one
    // that takes 20 s alone took over 60 s (a timeout is for a hang, not for a slow machine).
    testTimeout: 240_000,
    hookTimeout: 180_000,
    pool: 'forks',
    maxWorkers: 2,
  },
});
