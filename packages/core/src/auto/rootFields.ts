/**
 * The root fields of a document's operation (the one named `operationName`, else the first), found
 * without a parser, with the tokens `scanOperations` reads (`tokens`): `listPosts` in
 * `query Q($a: ID) { mine: listPosts(filter: {…}) @include(if: true) { items { id } } }`.
 * Aliases, arguments, directives and sub-selections are passed over. Undefined when a root
 * selection is a fragment (spread or inline): the operation's fields are then not known here.
 */
export function rootFields(source: string, operationName: string | undefined, tokens: RegExp): string[] | undefined {
  const fields: string[] = []
  let depth = 0
  let previous = ''
  // Inside the chosen operation's header (before its selection set), or its selection set.
  let chosen: 'header' | 'body' | undefined
  let pending: string | undefined
  let keyword = false
  for (const [token] of source.matchAll(tokens)) {
    if ('#"'.includes(token.charAt(0))) continue
    if ('})]'.includes(token)) depth--
    if (depth === 0 && chosen === undefined) {
      if ((previous === '' || previous === '}') && /^(query|mutation|subscription|\{)$/.test(token)) {
        keyword = token !== '{'
        if (operationName === undefined) chosen = 'header'
      } else if (keyword && /^[A-Za-z_]/.test(token)) {
        if (token === operationName) chosen = 'header'
        keyword = false
      } else keyword = false
    }
    if (depth === 0 && chosen === 'header' && token === '{') chosen = 'body'
    else if (chosen === 'body') {
      if (depth === 0) {
        if (pending) fields.push(pending)
        return fields.filter((field) => field !== '__typename')
      }
      if (depth === 1) {
        if (token === '.') return undefined // a fragment among the root selections
        if (pending && token !== ':') fields.push(pending)
        pending = /^[A-Za-z_]/.test(token) && previous !== '@' && token !== 'on' ? token : undefined
      }
    }
    if ('{(['.includes(token)) depth++
    if (depth <= 1) previous = token
  }
  return undefined // the operation is not there, or not closed
}
