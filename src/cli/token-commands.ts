import { InvalidArgumentError, type Command } from 'commander';
import type { MintedAgentToken } from '../governance/admin/agent-token-admin.js';
import { adminPost } from './admin-http.js';
import { adminAction, withAdminOptions } from './admin-session.js';
import { collectList, formatTime, parseDuration } from './command-values.js';

/** `--ttl`: whole seconds (the API's unit), so `90s` and `15m` pass and `1500ms` does not. */
export function parseTokenLifetime(value: string): number {
  const milliseconds = parseDuration(value);
  if (milliseconds % 1000 !== 0) throw new InvalidArgumentError('expected whole seconds, e.g. 90s, 15m or 1h');
  return milliseconds / 1000;
}

/** The human answer: the token on a line of its own, what it allows, and until when. */
export function formatMintedToken(minted: MintedAgentToken): string {
  const models = minted.models.length === 0 ? 'the models its minter may call' : minted.models.join(', ');
  return `Agent token ${minted.tokenId}: scopes ${minted.scopes.join(', ')}; models ${models}; expires ${formatTime(minted.expiresAt * 1000)}\n${minted.token}\n`;
}

/** `switchyard token mint`: a short-lived agent token narrowed from the calling virtual key. */
export function registerTokenCommands(program: Command): void {
  const token = program.command('token').description('short-lived agent tokens (admin API)');

  withAdminOptions(
    token
      .command('mint')
      .description('mint an agent token from the virtual key given with --key (never more than that key may do)')
      .requiredOption('--scopes <scopes>', 'e.g. gateway:chat,admin:keys:read (repeatable)', collectList)
      .option('--models <models>', 'models the token may call (comma-separated, repeatable; default: the key\'s)', collectList)
      .option('--ttl <duration>', 'lifetime, at most 1h (default 15m)', parseTokenLifetime),
  ).action(
    adminAction<{ scopes: string[]; models?: string[]; ttl?: number }>(async (session, options) => {
      const body = { scopes: options.scopes, ...(options.models === undefined ? {} : { models: options.models }), ...(options.ttl === undefined ? {} : { ttlSeconds: options.ttl }) };
      const minted = await adminPost<MintedAgentToken>(session.connection, '/admin/v1/agent-tokens', body);
      session.print(minted, () => formatMintedToken(minted));
    }),
  );
}
