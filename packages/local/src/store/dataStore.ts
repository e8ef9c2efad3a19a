import { mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs'
import { dirname } from 'node:path'
import { ConfigurationError } from '@authmode/core'

export type StoredItem = Readonly<Record<string, unknown>>
/** Every item, by type name and id: what `snapshot()` returns and the persisted file holds. */
export type StoreSnapshot = Readonly<Record<string, Readonly<Record<string, StoredItem>>>>

/**
 * The items of @model types, in memory; with `persistTo`, loaded from and written to a JSON
 * file after every change (write to a temporary file, then rename, so a crash leaves the old file).
 *
 * @example
 * ```ts
 * const before = server.store.snapshot()
 * // … an attack …
 * expect(server.store.snapshot()).toEqual(before)
 * ```
 */
export interface DataStore {
  get(type: string, id: string): StoredItem | undefined
  list(type: string): readonly StoredItem[]
  put(type: string, item: StoredItem & { readonly id: string }): void
  delete(type: string, id: string): boolean
  /** A deep copy of everything. */
  snapshot(): StoreSnapshot
}

export function createDataStore(options: { persistTo?: string | undefined } = {}): DataStore {
  const tables = new Map<string, Map<string, StoredItem>>()
  const file = options.persistTo
  if (file !== undefined) load(file, tables)
  const table = (type: string): Map<string, StoredItem> => {
    let t = tables.get(type)
    if (!t) tables.set(type, (t = new Map<string, StoredItem>()))
    return t
  }
  const snapshot = (): StoreSnapshot =>
    structuredClone(Object.fromEntries([...tables].map(([type, items]) => [type, Object.fromEntries(items)])))
  const save = (): void => {
    if (file === undefined) return
    const temporary = `${file}.${String(process.pid)}.tmp`
    writeFileSync(temporary, `${JSON.stringify(snapshot(), null, 2)}\n`)
    renameSync(temporary, file)
  }
  return {
    get: (type, id) => structuredCloneOrUndefined(tables.get(type)?.get(id)),
    list: (type) => [...(tables.get(type)?.values() ?? [])].map((item) => structuredClone(item)),
    put(type, item) {
      table(type).set(item.id, structuredClone(item))
      save()
    },
    delete(type, id) {
      const deleted = tables.get(type)?.delete(id) ?? false
      if (deleted) save()
      return deleted
    },
    snapshot,
  }
}

function structuredCloneOrUndefined(item: StoredItem | undefined): StoredItem | undefined {
  return item === undefined ? undefined : structuredClone(item)
}

function load(file: string, tables: Map<string, Map<string, StoredItem>>): void {
  let text: string
  try {
    text = readFileSync(file, 'utf8')
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') {
      mkdirSync(dirname(file), { recursive: true })
      return
    }
    throw new ConfigurationError(`persistTo: ${file} cannot be read.`, { cause: error })
  }
  let data: unknown
  try {
    data = JSON.parse(text)
  } catch (error) {
    throw new ConfigurationError(`persistTo: ${file} is not JSON written by @authmode/local.`, { cause: error })
  }
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    throw new ConfigurationError(`persistTo: ${file} does not hold { type: { id: item } }.`)
  }
  for (const [type, items] of Object.entries(data as Record<string, unknown>)) {
    if (typeof items !== 'object' || items === null) continue
    tables.set(type, new Map(Object.entries(items as Record<string, StoredItem>)))
  }
}
