// The hosts AWS gives an API Gateway API, `<id>.execute-api.<region>.amazonaws.com` (`.cn` in
// China), and a Lambda function URL, `<id>.lambda-url.<region>.on.aws`: SigV4 signs for their region.
const SERVICE_HOST =
  /^[a-z\d]+\.(?:execute-api\.([a-z\d-]+)\.amazonaws\.com(?:\.cn)?|lambda-url\.([a-z\d-]+)\.on\.aws)$/

/** The region of an API Gateway or Lambda function URL host; undefined for any other host. */
export function serviceHostRegion({ hostname }: URL): string | undefined {
  const match = SERVICE_HOST.exec(hostname)
  return match?.[1] ?? match?.[2]
}
