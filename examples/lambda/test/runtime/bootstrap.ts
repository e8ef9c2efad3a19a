// A function runtime as Lambda's Node.js runtime behaves (the part a handler can observe): load
// `$LAMBDA_TASK_ROOT/<module>` named by `_HANDLER`, then loop over the Runtime API at
// `$AWS_LAMBDA_RUNTIME_API`: take the next event, call the handler with (event, context), post its
// result or its error. Runs in its own process with the function's environment.
import { join } from 'node:path'
import { pathToFileURL } from 'node:url'

type Handler = (event: unknown, context: Record<string, unknown>) => Promise<unknown>

const api = `http://${env('AWS_LAMBDA_RUNTIME_API')}/2018-06-01/runtime`

function env(name: string): string {
  const value = process.env[name]
  if (value === undefined) throw new Error(`${name} is not set`)
  return value
}

function describeError(error: unknown): { errorType: string; errorMessage: string } {
  return error instanceof Error
    ? { errorType: error.name, errorMessage: error.message }
    : { errorType: 'Error', errorMessage: String(error) }
}

async function post(path: string, body: unknown, headers: Record<string, string> = {}): Promise<void> {
  await fetch(`${api}${path}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: JSON.stringify(body),
  })
}

async function loadHandler(): Promise<Handler> {
  const [moduleName = '', exportName = ''] = env('_HANDLER').split('.')
  const module = (await import(pathToFileURL(join(env('LAMBDA_TASK_ROOT'), `${moduleName}.js`)).href)) as Record<
    string,
    unknown
  >
  const handler = module[exportName]
  if (typeof handler !== 'function') throw new Error(`${env('_HANDLER')} is not a function`)
  return handler as Handler
}

async function main(): Promise<void> {
  let handler: Handler
  try {
    handler = await loadHandler()
  } catch (error) {
    await post('/init/error', describeError(error), {
      'lambda-runtime-function-error-type': 'Runtime.ImportModuleError',
    })
    process.exit(1)
  }
  for (;;) {
    let next: Response
    try {
      next = await fetch(`${api}/invocation/next`)
    } catch {
      return // the Runtime API went away: the environment is shut down
    }
    const requestId = next.headers.get('lambda-runtime-aws-request-id') ?? ''
    const deadline = Number(next.headers.get('lambda-runtime-deadline-ms'))
    const event = (await next.json()) as unknown
    const context = {
      awsRequestId: requestId,
      functionName: env('AWS_LAMBDA_FUNCTION_NAME'),
      functionVersion: env('AWS_LAMBDA_FUNCTION_VERSION'),
      memoryLimitInMB: env('AWS_LAMBDA_FUNCTION_MEMORY_SIZE'),
      invokedFunctionArn: next.headers.get('lambda-runtime-invoked-function-arn') ?? '',
      getRemainingTimeInMillis: () => deadline - Date.now(),
    }
    try {
      const result = await handler(event, context)
      await post(`/invocation/${requestId}/response`, result)
    } catch (error) {
      await post(`/invocation/${requestId}/error`, describeError(error), {
        'lambda-runtime-function-error-type': 'Unhandled',
      })
    }
  }
}

await main()
