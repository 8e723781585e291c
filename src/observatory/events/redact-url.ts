/**
 * A URL fit for logs: scheme, host and port only. Webhook URLs carry their token in the path (Slack) or the
 * query, and sometimes credentials before the host, so everything after the origin is replaced.
 */
export function redactUrl(url: string): string {
  try {
    const parsed = new URL(url);
    const rest = parsed.pathname !== '/' || parsed.search !== '' || parsed.hash !== '' ? '/***' : '';
    return `${parsed.protocol}//${parsed.host}${rest}`;
  } catch {
    return '(unparseable url)';
  }
}

/** An error message with every occurrence of `secrets` (a URL, a token) replaced. */
export function withoutSecrets(message: string, secrets: ReadonlyArray<string>, replacement = '***'): string {
  let clean = message;
  for (const secret of secrets) if (secret.length > 0) clean = clean.split(secret).join(replacement);
  return clean;
}
