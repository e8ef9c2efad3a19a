// A page bundled from a script under pages/ and served on 127.0.0.1, for Chromium to open.
import { fileURLToPath } from 'node:url'
import { bundle } from './bundle'
import { serveStatic, type RunningServer } from './servers'

const HTML = (script: string): string =>
  `<!doctype html><html><head><meta charset="utf-8"><title>authmode test page</title></head>` +
  `<body><script type="module" src="/${script}"></script></body></html>`

/** Bundles `pages/<name>.ts` with esbuild and serves it as `/` on a fresh 127.0.0.1 port. */
export async function servePage(name: string): Promise<RunningServer> {
  const entry = fileURLToPath(new URL(`../pages/${name}.ts`, import.meta.url))
  const { code } = await bundle(entry)
  return serveStatic({
    '/index.html': { type: 'text/html; charset=utf-8', body: HTML(`${name}.js`) },
    [`/${name}.js`]: { type: 'text/javascript; charset=utf-8', body: code },
  })
}
