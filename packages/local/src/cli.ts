#!/usr/bin/env node
// authmode-local: the CLI of @authmode/local. Run with --help.
import { readFile, writeFile } from 'node:fs/promises'
import { isAuthmodeError } from '@authmode/core'
import { HELP, parseCliArgs } from './cli/args'
import { startLocalAppSync } from './server/startLocalAppSync'

async function main(): Promise<number> {
  const config = parseCliArgs(process.argv.slice(2), process.env)
  if (config.help) {
    console.log(HELP)
    return 0
  }
  let schema: string
  try {
    schema = await readFile(config.schemaPath, 'utf8')
  } catch (error) {
    console.error(`authmode-local: cannot read the schema ${config.schemaPath}: ${(error as Error).message}`)
    return 2
  }
  const log = (message: string): void => {
    console.log(`${new Date().toISOString()} ${message}`)
  }
  const server = await startLocalAppSync({
    schema,
    port: config.port,
    host: config.host,
    region: config.region,
    apiKeys: config.apiKeys,
    userPools: config.userPools,
    userPool: config.userPool,
    defaultAuthMode: config.defaultAuthMode,
    backendCredentials: config.backendCredentials,
    identityPool: config.identityPool ? {} : false,
    persistTo: config.persistTo,
    logger: { info: config.quiet ? undefined : log, warn: log, error: log },
  })
  console.log(`authmode-local listening on ${server.url}`)
  console.log(`  GraphQL:        ${server.graphqlUrl}`)
  if (server.identityPoolId) console.log(`  identity pool:  ${server.url}/ (IdentityPoolId ${server.identityPoolId})`)
  else console.log('  identity pool:  not available')
  if (server.userPool) {
    const pool = server.userPool
    console.log(`  user pool:      ${pool.endpoint} (UserPoolId ${pool.userPoolId}, ClientId ${pool.clientId})`)
    console.log(`  issuer:         ${pool.issuer} (JWKS ${pool.jwksUri})`)
  }
  for (const key of server.apiKeys?.list() ?? []) {
    console.log(`  API key ${key.id} expires ${key.expires.toISOString()}`)
  }
  if (config.outputsPath !== undefined) {
    try {
      // It holds the API key: readable by its owner only (when it is created).
      await writeFile(config.outputsPath, `${JSON.stringify(server.amplifyOutputs(), null, 2)}\n`, { mode: 0o600 })
    } catch (error) {
      console.error(`authmode-local: cannot write ${config.outputsPath}: ${(error as Error).message}`)
      await server.stop()
      return 2
    }
    console.log(`  amplify_outputs.json:  ${config.outputsPath}`)
  }
  if (config.printApiKey && server.apiKey) console.log(`  API key value:  ${server.apiKey}`)
  else if (server.apiKey && config.apiKeys !== false && config.apiKeys.every((k) => k.key === undefined)) {
    console.log('  (the generated API key is a secret: --print-api-key shows it, or choose one with --api-key)')
  }

  await new Promise<void>((resolve) => {
    const stop = (signal: NodeJS.Signals): void => {
      console.log(`${signal}: stopping after the requests in flight…`)
      resolve()
    }
    process.once('SIGINT', stop)
    process.once('SIGTERM', stop)
  })
  await server.stop()
  console.log('stopped')
  return 0
}

main().then(
  (code) => {
    process.exitCode = code
  },
  (error: unknown) => {
    const message = isAuthmodeError(error) || error instanceof Error ? error.message : String(error)
    console.error(`authmode-local: ${message}`)
    process.exitCode = isAuthmodeError(error) ? 2 : 1
  },
)
