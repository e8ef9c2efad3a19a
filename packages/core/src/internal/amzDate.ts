// SigV4's date form, also sent by real-time API-key connections: apart from the signer's modules,
// so that a bundle that never signs holds none of them (they are a chunk of their own).

// The last second formatted and its text: a signer asks on every request, and the text changes
// once a second.
let lastSecond: number | undefined
let lastText: string

/** SigV4's `x-amz-date` form of a time: `YYYYMMDDTHHMMSSZ`. */
export function amzDate(time: number): string {
  const second = Math.floor(time / 1000)
  if (second !== lastSecond) {
    lastText = new Date(time).toISOString().replace(/[-:]|\.\d+/g, '')
    lastSecond = second
  }
  return lastText
}
