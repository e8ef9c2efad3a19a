// Debian's Chromium (/usr/bin/chromium, installed by scripts/ensure-chromium.sh) driven by
// playwright-core: no browser is ever downloaded. One launch per test file; `close()` ends the
// browser and removes its profile, and runs again on process exit if a test run dies first.
import { rmSync } from 'node:fs'
import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { chromium, type BrowserContext, type Page } from 'playwright-core'

export const CHROMIUM_PATH = '/usr/bin/chromium'

/**
 * The flags every launch uses. Without the background-networking flags Chromium keeps trying to
 * reach Google's hosts, which this machine's closed network refuses.
 */
export const CHROMIUM_FLAGS: readonly string[] = [
  '--headless',
  '--no-sandbox', // root, as CI runs
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
]

export interface RunningChromium {
  /** One profile: its pages share localStorage and Web Locks, as tabs of one browser do. */
  readonly context: BrowserContext
  /** A new tab whose console errors and page errors are collected in `errors` (never printed). */
  newTab(): Promise<Page>
  /** Uncaught page errors and console errors of every tab so far (messages only). */
  readonly errors: string[]
  /** Closes the browser and removes its profile. Idempotent. */
  close(): Promise<void>
}

/** Context options a test may set, e.g. a phone: `{ viewport: { width: 390, height: 844 }, isMobile: true, hasTouch: true }`. */
export type ChromiumContextOptions = Pick<
  NonNullable<Parameters<typeof chromium.launchPersistentContext>[1]>,
  'viewport' | 'isMobile' | 'hasTouch' | 'deviceScaleFactor' | 'userAgent'
>

export async function launchChromium(contextOptions: ChromiumContextOptions = {}): Promise<RunningChromium> {
  // A fresh --user-data-dir per launch; playwright passes it to Chromium as that flag.
  const profile = await mkdtemp(join(tmpdir(), 'authmode-chromium-'))
  const removeProfile = (): void => {
    rmSync(profile, { recursive: true, force: true })
  }
  process.once('exit', removeProfile)
  let context: BrowserContext
  try {
    context = await chromium.launchPersistentContext(profile, {
      ...contextOptions,
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: [...CHROMIUM_FLAGS],
      // Playwright would otherwise add flags of its own that turn on features we don't test.
      chromiumSandbox: false,
      timeout: 60_000,
    })
  } catch (error) {
    process.off('exit', removeProfile)
    await rm(profile, { recursive: true, force: true })
    throw error
  }
  const errors: string[] = []
  let closed = false
  return {
    context,
    errors,
    async newTab() {
      const page = await context.newPage()
      page.on('pageerror', (error) => errors.push(`pageerror: ${error.name}: ${error.message}`))
      page.on('console', (message) => {
        if (message.type() === 'error') errors.push(`console: ${message.text()}`)
      })
      return page
    },
    async close() {
      if (closed) return
      closed = true
      try {
        await context.close()
      } finally {
        process.off('exit', removeProfile)
        await rm(profile, { recursive: true, force: true })
      }
    },
  }
}
