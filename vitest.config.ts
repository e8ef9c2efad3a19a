import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (name: string): string => fileURLToPath(new URL(`./packages/${name}/src/index.ts`, import.meta.url))

// Tests run against the sources; the dist smoke tests import the built packages by path.
const alias = {
  '@authmode/core': src('core'),
  '@authmode/browser': src('browser'),
  '@authmode/node': src('node'),
}

export default defineConfig({
  test: {
    projects: [
      ...['core', 'browser', 'node'].map((name) => ({
        resolve: { alias },
        test: {
          name,
          root: `./packages/${name}`,
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
        },
      })),
      // The packed packages (needs `pnpm build`): publint, attw, consumer type checks.
      { test: { name: 'packaging', root: './tests/packaging', include: ['test/**/*.test.ts'], environment: 'node' } },
    ],
  },
})
