import { fileURLToPath } from 'node:url'
import { defineConfig } from 'vitest/config'

const src = (name: string, file = 'index'): string =>
  fileURLToPath(new URL(`./packages/${name}/src/${file}.ts`, import.meta.url))

// Tests run against the sources; the dist smoke tests import the built packages by path. The
// subpath comes first: aliases match by prefix, in order.
const alias = {
  '@authmode/core/internal': src('core', 'internal'),
  '@authmode/core/sigv4': src('core', 'sigv4'),
  '@authmode/core/cookies': src('core', 'cookies'),
  '@authmode/core': src('core'),
  '@authmode/browser': src('browser'),
  '@authmode/node': src('node'),
  '@authmode/local': src('local'),
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
      // The local endpoint: its tests start cognito-local (a child process) and servers on 127.0.0.1.
      {
        resolve: { alias },
        test: {
          name: 'local',
          root: './packages/local',
          include: ['src/**/*.test.ts', 'test/**/*.test.ts'],
          environment: 'node',
          hookTimeout: 60_000,
          testTimeout: 30_000,
        },
      },
      // examples/lambda: the built handler run as Lambda runs it (needs `pnpm build`); no aliases, so
      // @authmode/* resolve to their built packages, as in a deployment.
      {
        test: {
          name: 'example-lambda',
          root: './examples/lambda',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          testTimeout: 30_000,
        },
      },
      // examples/graphql-request: graphql-request authorized through createAuthFetch, against
      // @authmode/local; like example-lambda, @authmode/* resolve to their built packages.
      {
        test: {
          name: 'example-graphql-request',
          root: './examples/graphql-request',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          hookTimeout: 30_000,
          testTimeout: 30_000,
        },
      },
      // examples/rest-api: createAuthFetch signing for API Gateway and Lambda function URLs, against
      // @authmode/local's SigV4-verifying routes; @authmode/* resolve to their built packages.
      {
        test: {
          name: 'example-rest-api',
          root: './examples/rest-api',
          include: ['test/**/*.test.ts'],
          environment: 'node',
          hookTimeout: 30_000,
          testTimeout: 30_000,
        },
      },
      // The runtimes runner's own test (needs `pnpm build`): a break in one runtime is caught and named.
      { test: { name: 'runtimes', root: './tests/runtimes', include: ['test/**/*.test.ts'], environment: 'node' } },
      // The packed packages (needs `pnpm build`): publint, attw, consumer type checks, and the README's
      // "Your first app" run from them (npm installs its dependencies, cache first).
      { test: { name: 'packaging', root: './tests/packaging', include: ['test/**/*.test.ts'], environment: 'node' } },
      // Bundle budgets and bleed checks on the built packages (needs `pnpm build`), esbuild as bench uses it.
      { test: { name: 'bundle', root: './tests/bundle', include: ['test/**/*.test.ts'], environment: 'node' } },
    ],
  },
})
