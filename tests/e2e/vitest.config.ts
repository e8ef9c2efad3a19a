import { defineConfig } from 'vitest/config'

// No aliases: `@authmode/node` and `@authmode/core` resolve through their package exports to the
// built dist, so these tests double as a smoke test of what is published.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Starting cognito-local (a child process) and loading the simulator take a few seconds.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    teardownTimeout: 30_000,
    // One file at a time: each starts its own peers.
    fileParallelism: false,
  },
})
