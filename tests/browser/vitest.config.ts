import { defineConfig } from 'vitest/config'

// No aliases: `@authmode/browser` resolves through its package exports to the built dist, in Node
// and in the pages bundled for Chromium alike.
export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    environment: 'node',
    // Starting cognito-local, the simulator and Chromium takes a few seconds.
    hookTimeout: 60_000,
    testTimeout: 30_000,
    teardownTimeout: 30_000,
    // One file at a time: each starts its own peers and its own browser.
    fileParallelism: false,
  },
})
