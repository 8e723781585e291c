import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import type { FastifyInstance, FastifyReply } from 'fastify';

/** Where the dashboard's built files are (`vite build` output: `index.html` and `assets/`). */
export interface DashboardRouteOptions {
  directory: string;
}

const contentTypes: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.map': 'application/json',
  '.txt': 'text/plain; charset=utf-8',
};

// Vite names built assets by their content hash, so a name never changes meaning: cache it for good.
const immutable = 'public, max-age=31536000, immutable';
// index.html names the current assets: always ask again.
const revalidate = 'no-cache';

/**
 * Serves the dashboard at `/ui`: files under the build directory with their content type, hashed assets
 * cached for good, and `index.html` (never cached) for every other path below `/ui`, so the single-page app's
 * own routes load on a reload. The dashboard logs in against the admin API itself, so these files are public.
 * Paths that leave the directory are refused; a missing build says how to make one.
 */
export function registerDashboardRoute(app: FastifyInstance, options: DashboardRouteOptions): void {
  const root = resolve(options.directory);
  const cache = new Map<string, Buffer>();
  const load = async (file: string): Promise<Buffer | undefined> => {
    const known = cache.get(file);
    if (known !== undefined) return known;
    try {
      if (!(await stat(file)).isFile()) return undefined;
      const content = await readFile(file);
      cache.set(file, content);
      return content;
    } catch {
      return undefined;
    }
  };
  const sendIndex = async (reply: FastifyReply) => {
    const index = await load(resolve(root, 'index.html'));
    if (index === undefined) {
      return reply.code(404).type('text/plain; charset=utf-8').header('cache-control', revalidate).send(`The dashboard is not built (no ${root}/index.html): run npm run build.\n`);
    }
    return reply.type(contentTypes['.html']).header('cache-control', revalidate).send(index);
  };
  app.get('/ui', async (_request, reply) => sendIndex(reply));
  app.get('/ui/*', async (request, reply) => {
    const wildcard = (request.params as { '*': string })['*'];
    let relative: string;
    try {
      relative = decodeURIComponent(wildcard);
    } catch {
      return reply.code(400).type('text/plain; charset=utf-8').send('Bad path\n');
    }
    const file = resolve(root, relative);
    if (relative.includes('\0') || (file !== root && !file.startsWith(root + sep))) {
      return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    }
    const extension = extname(file);
    if (extension === '' || extension === '.html') return sendIndex(reply);
    const content = await load(file);
    if (content === undefined) return reply.code(404).type('text/plain; charset=utf-8').send('Not found\n');
    const cacheControl = relative.startsWith('assets/') ? immutable : revalidate;
    return reply.type(contentTypes[extension] ?? 'application/octet-stream').header('cache-control', cacheControl).send(content);
  });
}
