// The TCP sockets a process listens on, read from /proc (Linux): what `ss -ltnp` shows for one
// pid, without needing `ss`. Used to check that every peer listens on 127.0.0.1 only.
import { readdir, readFile, readlink } from 'node:fs/promises'

export interface ListeningSocket {
  readonly address: string
  readonly port: number
}

export async function listeningSockets(pid: number): Promise<ListeningSocket[]> {
  const inodes = new Set<string>()
  for (const fd of await readdir(`/proc/${String(pid)}/fd`)) {
    try {
      const target = await readlink(`/proc/${String(pid)}/fd/${fd}`)
      const inode = /^socket:\[(\d+)\]$/.exec(target)?.[1]
      if (inode) inodes.add(inode)
    } catch {
      // The fd closed meanwhile.
    }
  }
  const sockets: ListeningSocket[] = []
  for (const [file, v6] of [
    ['tcp', false],
    ['tcp6', true],
  ] as const) {
    let table: string
    try {
      table = await readFile(`/proc/${String(pid)}/net/${file}`, 'utf8')
    } catch {
      continue // no IPv6 on this machine
    }
    for (const line of table.split('\n').slice(1)) {
      const cols = line.trim().split(/\s+/)
      const [local, state, inode] = [cols[1], cols[3], cols[9]]
      if (!local || state !== '0A' || !inode || !inodes.has(inode)) continue // 0A = LISTEN
      const [hexAddress = '', hexPort = ''] = local.split(':')
      sockets.push({ address: v6 ? ipv6(hexAddress) : ipv4(hexAddress), port: parseInt(hexPort, 16) })
    }
  }
  return sockets
}

/** True for 127.0.0.0/8, ::1 and ::ffff:127.x.y.z. */
export function isLoopback(address: string): boolean {
  return address.startsWith('127.') || address === '::1' || address.startsWith('::ffff:127.')
}

// /proc/net/tcp prints each 32-bit word in host (little-endian) byte order.
function ipv4(hex: string): string {
  return wordBytes(hex).join('.')
}

function ipv6(hex: string): string {
  const bytes: number[] = []
  for (let i = 0; i < 32; i += 8) bytes.push(...wordBytes(hex.slice(i, i + 8)))
  if (bytes.slice(0, 10).every((b) => b === 0) && bytes[10] === 0xff && bytes[11] === 0xff) {
    return `::ffff:${bytes.slice(12).join('.')}`
  }
  const groups: string[] = []
  for (let i = 0; i < 16; i += 2) groups.push((((bytes[i] ?? 0) << 8) | (bytes[i + 1] ?? 0)).toString(16))
  return compressIpv6(groups)
}

function wordBytes(hex: string): number[] {
  const bytes = [0, 2, 4, 6].map((i) => parseInt(hex.slice(i, i + 2), 16))
  return bytes.reverse()
}

function compressIpv6(groups: string[]): string {
  // The longest run of zero groups becomes "::".
  let best = -1
  let bestLength = 0
  for (let i = 0; i < groups.length;) {
    if (groups[i] !== '0') {
      i++
      continue
    }
    let j = i
    while (j < groups.length && groups[j] === '0') j++
    if (j - i > bestLength) [best, bestLength] = [i, j - i]
    i = j
  }
  if (bestLength < 2) return groups.join(':')
  return `${groups.slice(0, best).join(':')}::${groups.slice(best + bestLength).join(':')}`
}
