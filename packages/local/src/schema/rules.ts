// Amplify's @auth semantics: a request is allowed when any rule grants it. See README.md for the
// readings chosen where the documentation leaves room.
import { groupsFromClaim, type Caller, type LocalAuthMode } from '../auth/caller'
import { ALL_OPERATIONS, type AuthRule, type ModelOperation, type PlainAuth } from './model'

export type Item = Readonly<Record<string, unknown>>

/** Configured backend credentials: full access to @model types, like Amplify's admin roles. */
export function isBackend(caller: Caller): boolean {
  return caller.mode === 'iam' && caller.principal.kind === 'backend'
}

/** Does the rule's strategy and provider speak to this caller at all (before items and groups)? */
export function ruleMatchesCaller(rule: AuthRule, caller: Caller): boolean {
  switch (rule.provider) {
    case 'apiKey':
      return caller.mode === 'apiKey'
    case 'userPools':
      return caller.mode === 'userPool'
    case 'oidc':
      return caller.mode === 'oidc'
    case 'iam':
      if (caller.mode !== 'iam') return false
      // Guests (unauthenticated identities) are public; signed-in identities are private.
      return rule.allow === 'public' ? caller.principal.kind === 'guest' : caller.principal.kind === 'authenticated'
    case 'function':
      return caller.mode === 'lambda'
  }
}

/**
 * The value that identifies a token caller as an owner, as written on create: `<sub>::<username>`
 * for `sub::username` (the default), else the claim's value.
 */
export function ownerIdentity(rule: AuthRule, caller: Caller): string | undefined {
  if (caller.mode !== 'userPool' && caller.mode !== 'oidc') return undefined
  const { sub, username, claims } = caller
  switch (rule.identityClaim) {
    case 'sub::username':
      return sub !== undefined && username !== undefined ? `${sub}::${username}` : (sub ?? username)
    case 'username':
    case 'cognito:username':
      return username
    default: {
      const value = claims[rule.identityClaim]
      return typeof value === 'string' && value !== '' ? value : undefined
    }
  }
}

/**
 * Does a stored owner value name this caller? A plain username also matches a `sub::username`
 * rule, as Amplify reads records made before the identity-claim change, but only where the value
 * was stored in that legacy form (no `::`): a username that spells someone's `<sub>::<username>`
 * is not them.
 */
function isOwner(rule: AuthRule, caller: Caller, stored: string): boolean {
  if (stored === ownerIdentity(rule, caller)) return true
  return (
    rule.identityClaim === 'sub::username' &&
    (caller.mode === 'userPool' || caller.mode === 'oidc') &&
    caller.sub !== undefined &&
    caller.username !== undefined &&
    !stored.includes('::') &&
    stored === caller.username
  )
}

function owns(rule: AuthRule, caller: Caller, item: Item): boolean {
  const value = item[rule.ownerField]
  const owners = Array.isArray(value) ? value : [value]
  return owners.some((owner) => typeof owner === 'string' && isOwner(rule, caller, owner))
}

export function callerGroups(caller: Caller, claim = 'cognito:groups'): readonly string[] {
  return caller.mode === 'userPool' || caller.mode === 'oidc' ? groupsFromClaim(caller.claims, claim) : []
}

function inGroups(rule: AuthRule, caller: Caller, item: Item): boolean {
  const groups = callerGroups(caller, rule.groupClaim)
  if (rule.groups) return rule.groups.some((g) => groups.includes(g))
  const value = rule.groupsField === undefined ? undefined : item[rule.groupsField]
  const allowed = Array.isArray(value) ? value : [value]
  return allowed.some((g) => typeof g === 'string' && groups.includes(g))
}

/** Does this one rule allow `operation` on `item` for `caller`? */
export function grants(rule: AuthRule, caller: Caller, operation: ModelOperation, item: Item): boolean {
  if (!rule.operations.has(operation) || !ruleMatchesCaller(rule, caller)) return false
  switch (rule.allow) {
    case 'public':
    case 'private':
    case 'custom':
      return true
    case 'owner':
      return owns(rule, caller, item)
    case 'groups':
      return inGroups(rule, caller, item)
  }
}

export function allows(rules: readonly AuthRule[], caller: Caller, operation: ModelOperation, item: Item): boolean {
  return isBackend(caller) || rules.some((rule) => grants(rule, caller, operation, item))
}

/**
 * Could any item be allowed? Decides, before any item is read, between running an operation and
 * AppSync's Unauthorized for the whole field. A static group rule speaks only to its members, as
 * AppSync checks it before the data source; owner and dynamic group rules depend on the item.
 */
export function mayAllow(rules: readonly AuthRule[], caller: Caller, operation: ModelOperation): boolean {
  return (
    isBackend(caller) ||
    rules.some(
      (rule) =>
        rule.operations.has(operation) &&
        ruleMatchesCaller(rule, caller) &&
        (rule.allow !== 'groups' || rule.groups === undefined || inGroups(rule, caller, {})),
    )
  )
}

/** Reading a field: its rules allow `get` or `list` of the item. */
export function allowsRead(rules: readonly AuthRule[], caller: Caller, item: Item): boolean {
  return allows(rules, caller, 'get', item) || allows(rules, caller, 'list', item)
}

/** The rule a @model type without @auth gets: the API's default mode, all operations. */
export function defaultRules(mode: LocalAuthMode): readonly AuthRule[] {
  const base = {
    operations: new Set(ALL_OPERATIONS),
    ownerField: 'owner',
    identityClaim: 'sub::username',
    groupClaim: 'cognito:groups',
    groups: undefined,
    groupsField: undefined,
  }
  switch (mode) {
    case 'apiKey':
      return [{ ...base, allow: 'public', provider: 'apiKey' }]
    case 'userPool':
      return [{ ...base, allow: 'private', provider: 'userPools' }]
    case 'oidc':
      return [{ ...base, allow: 'private', provider: 'oidc' }]
    case 'iam':
      return [
        { ...base, allow: 'public', provider: 'iam' },
        { ...base, allow: 'private', provider: 'iam' },
      ]
    case 'lambda':
      return [{ ...base, allow: 'custom', provider: 'function' }]
  }
}

/** AppSync's plain directives: the field's, else the type's, else the default mode only. */
export function plainAllows(plain: PlainAuth | undefined, defaultMode: LocalAuthMode, caller: Caller): boolean {
  if (!plain) return caller.mode === defaultMode
  if (!plain.modes.has(caller.mode)) return false
  if (caller.mode === 'userPool' && plain.cognitoGroups) {
    const groups = callerGroups(caller)
    return plain.cognitoGroups.some((g) => groups.includes(g))
  }
  return true
}
