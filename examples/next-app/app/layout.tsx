import type { ReactNode } from 'react'

// No favicon: an empty icon, so that browsers don't ask for /favicon.ico.
export const metadata = { title: 'authmode Next.js example', icons: { icon: 'data:,' } }

export default function RootLayout({ children }: { children: ReactNode }) {
  return (
    <html lang="en">
      <body>{children}</body>
    </html>
  )
}
