import type { Item } from './rules'

/**
 * The item fields a filter names, through `and`, `or` and `not`: the fields its answer depends
 * on, which the caller must be allowed to read.
 */
export function filterFields(filter: unknown): Set<string> {
  const fields = new Set<string>()
  collectFields(filter, fields)
  return fields
}

function collectFields(filter: unknown, into: Set<string>): void {
  if (typeof filter !== 'object' || filter === null) return
  for (const [key, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (condition === null || condition === undefined) continue
    if (key === 'and' || key === 'or') for (const f of condition as unknown[]) collectFields(f, into)
    else if (key === 'not') collectFields(condition, into)
    else into.add(key)
  }
}

/** Amplify's list filter: `{ field: { eq, ne, beginsWith, contains, lt, le, gt, ge }, and, or, not }`. */
export function matchesFilter(filter: unknown, item: Item): boolean {
  if (typeof filter !== 'object' || filter === null) return true
  for (const [key, condition] of Object.entries(filter as Record<string, unknown>)) {
    if (condition === null || condition === undefined) continue
    if (key === 'and') {
      if (!(condition as unknown[]).every((f) => matchesFilter(f, item))) return false
    } else if (key === 'or') {
      if (!(condition as unknown[]).some((f) => matchesFilter(f, item))) return false
    } else if (key === 'not') {
      if (matchesFilter(condition, item)) return false
    } else if (!matchesField(condition as Record<string, unknown>, item[key])) return false
  }
  return true
}

/** A value against one field's condition (`{ eq, lt, between, beginsWith, … }`): also an index query's sort key condition. */
export function matchesField(condition: Record<string, unknown>, value: unknown): boolean {
  for (const [op, expected] of Object.entries(condition)) {
    if (expected === null || expected === undefined) continue
    switch (op) {
      case 'eq':
        if (value !== expected) return false
        break
      case 'ne':
        if (value === expected) return false
        break
      case 'beginsWith':
        if (typeof value !== 'string' || typeof expected !== 'string' || !value.startsWith(expected)) return false
        break
      case 'contains':
        if (typeof value !== 'string' || typeof expected !== 'string' || !value.includes(expected)) return false
        break
      case 'lt':
      case 'le':
      case 'gt':
      case 'ge':
        if (!compare(op, value, expected)) return false
        break
      case 'between':
        if (!Array.isArray(expected) || !compare('ge', value, expected[0]) || !compare('le', value, expected[1]))
          return false
        break
      default:
        return false
    }
  }
  return true
}

/** The order of two sort key values: numbers by value, anything else as strings (by code unit). */
export function compareKeys(a: unknown, b: unknown): number {
  if (typeof a === 'number' && typeof b === 'number') return a - b
  const [x, y] = [String(a), String(b)]
  return x < y ? -1 : x > y ? 1 : 0
}

// Numbers with numbers, strings with strings (in `compareKeys` order, as DynamoDB orders ASCII keys).
function compare(op: 'lt' | 'le' | 'gt' | 'ge', value: unknown, expected: unknown): boolean {
  if (typeof value !== typeof expected || (typeof value !== 'number' && typeof value !== 'string')) return false
  const order = compareKeys(value, expected)
  switch (op) {
    case 'lt':
      return order < 0
    case 'le':
      return order <= 0
    case 'gt':
      return order > 0
    case 'ge':
      return order >= 0
  }
}
