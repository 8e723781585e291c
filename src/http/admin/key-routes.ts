import { listOf } from '../../governance/admin/admin-schemas.js';
import * as keys from '../../governance/admin/key-admin.js';
import * as lifecycle from '../../governance/admin/key-lifecycle-admin.js';
import { createKeySchema, keyWithSecretSchema, listKeysQuerySchema, rotateKeySchema, updateKeySchema, virtualKeySchema } from '../../governance/admin/key-schemas.js';
import type { AdminRoute } from './admin-route.js';

const base = '/admin/v1/keys';

/** Virtual keys: create (the secret is shown once), list, get, update, rotate, block, unblock, revoke. */
export const keyRoutes: AdminRoute[] = [
  { method: 'GET', path: base, operationId: 'listKeys', summary: 'List virtual keys', tag: 'keys', level: 'workspace', query: listKeysQuerySchema, response: listOf(virtualKeySchema), successStatus: 200, handle: (d, call, input) => keys.listKeys(d, call, input.query) },
  { method: 'POST', path: base, operationId: 'createKey', summary: 'Create a virtual key (its secret is in this answer only)', tag: 'keys', level: 'workspace', body: createKeySchema, response: keyWithSecretSchema, successStatus: 201, handle: (d, call, input) => keys.createKey(d, call, input.body) },
  { method: 'GET', path: `${base}/{keyId}`, operationId: 'getKey', summary: 'Get a virtual key', tag: 'keys', level: 'workspace', response: virtualKeySchema, successStatus: 200, handle: (d, call, input) => keys.getKey(d, call, input.params.keyId) },
  { method: 'PATCH', path: `${base}/{keyId}`, operationId: 'updateKey', summary: 'Change a virtual key', tag: 'keys', level: 'workspace', body: updateKeySchema, response: virtualKeySchema, successStatus: 200, handle: (d, call, input) => keys.updateKey(d, call, input.params.keyId, input.body) },
  { method: 'DELETE', path: `${base}/{keyId}`, operationId: 'revokeKey', summary: 'Revoke a virtual key for good', tag: 'keys', level: 'workspace', response: virtualKeySchema, successStatus: 200, handle: (d, call, input) => lifecycle.revokeKey(d, call, input.params.keyId) },
  { method: 'POST', path: `${base}/{keyId}/rotate`, operationId: 'rotateKey', summary: 'Give a key a new secret; the old one works for the grace period', tag: 'keys', level: 'workspace', body: rotateKeySchema, response: keyWithSecretSchema, successStatus: 200, handle: (d, call, input) => lifecycle.rotateKey(d, call, input.params.keyId, input.body) },
  { method: 'POST', path: `${base}/{keyId}/block`, operationId: 'blockKey', summary: 'Block a key until unblocked', tag: 'keys', level: 'workspace', response: virtualKeySchema, successStatus: 200, handle: (d, call, input) => lifecycle.blockKey(d, call, input.params.keyId) },
  { method: 'POST', path: `${base}/{keyId}/unblock`, operationId: 'unblockKey', summary: 'Unblock a key', tag: 'keys', level: 'workspace', response: virtualKeySchema, successStatus: 200, handle: (d, call, input) => lifecycle.unblockKey(d, call, input.params.keyId) },
];
