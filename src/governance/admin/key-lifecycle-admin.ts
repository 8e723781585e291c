import { generateVirtualKey } from '../identity/virtual-key-material.js';
import type { VirtualKey } from '../identity/identity-types.js';
import type { AdminCall, AdminDependencies } from './admin-dependencies.js';
import { parseInput } from './admin-input.js';
import { runAdminChange } from './admin-operation.js';
import { keyScope, keyTarget, requireWritableKey, type KeyWithSecret } from './key-admin.js';
import { rotateKeySchema } from './key-schemas.js';

/**
 * Gives the key a new secret (returned once); the previous one keeps working for the grace period, so
 * clients can switch over without an outage.
 */
export async function rotateKey(dependencies: AdminDependencies, call: AdminCall, id: string, input: unknown): Promise<KeyWithSecret> {
  const body = parseInput(rotateKeySchema, input ?? {});
  return runAdminChange(dependencies, call, 'keys.rotate', async (operation) => {
    const key = await requireWritableKey(operation, id, true);
    const material = generateVirtualKey();
    const previousSecretExpiresAt = operation.nowMs + body.gracePeriodSeconds * 1000;
    await operation.stores.identity.rotateKeySecret(id, { keyId: id, hash: material.hash }, previousSecretExpiresAt);
    await operation.record(keyTarget(key), keyScope(key), { gracePeriodSeconds: body.gracePeriodSeconds, prefix: key.prefix });
    operation.changed('keys', id);
    return { key, secret: material.key, previousSecretExpiresAt };
  });
}

export async function blockKey(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<VirtualKey> {
  return setBlocked(dependencies, call, id, true);
}

export async function unblockKey(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<VirtualKey> {
  return setBlocked(dependencies, call, id, false);
}

/** Revokes for good: the key and every agent token it minted are refused from now on. */
export async function revokeKey(dependencies: AdminDependencies, call: AdminCall, id: string): Promise<VirtualKey> {
  return runAdminChange(dependencies, call, 'keys.revoke', async (operation) => {
    const key = await requireWritableKey(operation, id);
    await operation.stores.identity.updateKey(id, { revokedAt: operation.nowMs });
    await operation.record(keyTarget(key), keyScope(key), { prefix: key.prefix });
    operation.changed('keys', id);
    return { ...key, revokedAt: operation.nowMs };
  });
}

async function setBlocked(dependencies: AdminDependencies, call: AdminCall, id: string, blocked: boolean): Promise<VirtualKey> {
  return runAdminChange(dependencies, call, blocked ? 'keys.block' : 'keys.unblock', async (operation) => {
    const key = await requireWritableKey(operation, id);
    await operation.stores.identity.updateKey(id, { blocked });
    await operation.record(keyTarget(key), keyScope(key), { prefix: key.prefix });
    operation.changed('keys', id);
    return { ...key, blocked };
  });
}
