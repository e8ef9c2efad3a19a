import { setupServer, type SetupServer } from 'msw/node'
import { afterAll, afterEach, beforeAll } from 'vitest'

/**
 * One msw server per test file (vitest isolates files). Nothing leaves the process: a request no
 * handler matches fails the test (`onUnhandledRequest: 'error'`).
 */
export const server: SetupServer = setupServer()

/** Starts the server for this file and resets its handlers after each test. */
export function useMswServer(): SetupServer {
  beforeAll(() => {
    server.listen({ onUnhandledRequest: 'error' })
  })
  afterEach(() => {
    server.resetHandlers()
  })
  afterAll(() => {
    server.close()
  })
  return server
}
