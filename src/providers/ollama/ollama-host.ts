/** Ollama's default port, as the `ollama` client and server use it. */
export const defaultOllamaPort = '11434';

/** Where a local Ollama listens by default. */
export const defaultOllamaHost = `http://127.0.0.1:${defaultOllamaPort}`;

/** Hostnames that mean "every interface" to a server, and so "this machine" to a client. */
const unspecifiedHostnames = new Set(['0.0.0.0', '[::]']);

/**
 * Turns an `OLLAMA_HOST`-style value into a base URL, the way the official `ollama` client's `formatHost`
 * does: no scheme means `http://` and port 11434, `:port` alone means 127.0.0.1, an explicit scheme
 * without a port gets the scheme's port (80/443), a path is kept and trailing slashes are dropped.
 * One difference on purpose: `0.0.0.0` (what people set for the *server* to listen everywhere) becomes
 * 127.0.0.1, because connecting to the unspecified address does not work on every platform.
 */
export function normaliseOllamaHost(host: string): string {
  let value = host.trim();
  if (value === '') return defaultOllamaHost;
  let explicitScheme = value.includes('://');
  if (value.startsWith(':')) {
    value = `http://127.0.0.1${value}`;
    explicitScheme = true;
  }
  if (!explicitScheme) value = `http://${value}`;
  const url = new URL(value);
  const port = url.port !== '' ? url.port : explicitScheme ? (url.protocol === 'https:' ? '443' : '80') : defaultOllamaPort;
  const hostname = unspecifiedHostnames.has(url.hostname) ? '127.0.0.1' : url.hostname;
  let auth = '';
  if (url.username !== '') auth = `${url.username}${url.password !== '' ? `:${url.password}` : ''}@`;
  let formatted = `${url.protocol}//${auth}${hostname}:${port}${url.pathname}`;
  if (formatted.endsWith('/')) formatted = formatted.slice(0, -1);
  return formatted;
}
