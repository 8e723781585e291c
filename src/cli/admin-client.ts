/** Where the CLI finds a running gateway, and the key it uses. */
export interface AdminConnection {
  url: string;
  key: string | undefined;
}

/** Reads `--url` / `--key`, falling back to SWITCHYARD_URL and SWITCHYARD_MASTER_KEY. */
export function adminConnection(options: { url?: string; key?: string }): AdminConnection {
  return {
    url: (options.url ?? process.env.SWITCHYARD_URL ?? 'http://127.0.0.1:4000').replace(/\/$/, ''),
    key: options.key ?? process.env.SWITCHYARD_MASTER_KEY,
  };
}

/** GETs an admin API path and returns its JSON, with an error that says what to fix. */
export async function adminGet<T>(connection: AdminConnection, path: string): Promise<T> {
  if (connection.key === undefined) throw new Error('no key: pass --key or set SWITCHYARD_MASTER_KEY');
  let response: Response;
  try {
    response = await fetch(`${connection.url}${path}`, { headers: { authorization: `Bearer ${connection.key}` } });
  } catch {
    throw new Error(`cannot reach the gateway at ${connection.url} (is it running? --url sets the address)`);
  }
  const text = await response.text();
  if (!response.ok) {
    let message = text;
    try {
      message = (JSON.parse(text) as { error?: { message?: string } }).error?.message ?? text;
    } catch {
      // not JSON: show it as it is
    }
    throw new Error(`the gateway answered ${response.status}: ${message}`);
  }
  return JSON.parse(text) as T;
}
