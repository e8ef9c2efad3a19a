// A Web Storage stand-in for unit tests under Node, which has no localStorage.
/** A Web Storage stand-in: Node 20 has no localStorage. */
export function fakeLocalStorage(
  options: { failWrites?: boolean } = {},
): Storage & { readonly items: Map<string, string> } {
  const items = new Map<string, string>()
  return {
    items,
    get length() {
      return items.size
    },
    clear: () => {
      items.clear()
    },
    key: (index: number) => [...items.keys()][index] ?? null,
    getItem: (key: string) => items.get(key) ?? null,
    setItem: (key: string, value: string) => {
      if (options.failWrites) throw new DOMException('quota exceeded', 'QuotaExceededError')
      items.set(key, value)
    },
    removeItem: (key: string) => {
      items.delete(key)
    },
  }
}
