import { describe, expect, it } from 'vitest'
import { inProcessLock } from './refreshLock'

const tick = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms))

describe('inProcessLock', () => {
  it('runs tasks of one name one at a time, in the order they asked', async () => {
    const log: string[] = []
    const task = (id: string, ms: number) => async () => {
      log.push(`start ${id}`)
      await tick(ms)
      log.push(`end ${id}`)
      return id
    }
    const results = await Promise.all([
      inProcessLock('a', task('1', 15)),
      inProcessLock('a', task('2', 1)),
      inProcessLock('a', task('3', 5)),
    ])
    expect(results).toEqual(['1', '2', '3'])
    expect(log).toEqual(['start 1', 'end 1', 'start 2', 'end 2', 'start 3', 'end 3'])
  })

  it('lets tasks of other names run meanwhile', async () => {
    const log: string[] = []
    await Promise.all([
      inProcessLock('x', async () => {
        log.push('x start')
        await tick(15)
        log.push('x end')
      }),
      inProcessLock('y', async () => {
        log.push('y start')
        await tick(1)
        log.push('y end')
      }),
    ])
    expect(log).toEqual(['x start', 'y start', 'y end', 'x end'])
  })

  it("passes a task's failure to its caller only, and the next task still runs", async () => {
    const failing = inProcessLock('b', () => Promise.reject(new Error('first failed')))
    const next = inProcessLock('b', () => Promise.resolve('second ran'))
    await expect(failing).rejects.toThrow('first failed')
    await expect(next).resolves.toBe('second ran')
  })
})
