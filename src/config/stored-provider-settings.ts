import { GatewayError } from '../spec/gateway-error.js';
import { isEnvironmentReference } from './secret-reference.js';
import type { StoredSecretReference } from './stored-provider-store.js';

/**
 * The rules for settings given to a provider enabled at run time: credentials only as references to the
 * encrypted secret store, resolved when the instance is built and shown back as references only.
 */

// Settings whose values are credentials: they must be secret references, so they are stored encrypted and
// can never be read back. `headers` values are judged by the header's name.
const credentialSetting = /key|token|secret|password|credential/i;
const credentialHeader = /key|token|secret|password|credential|authorization|cookie|auth/i;

/** True for `{ secret: name, field: field }` (exactly those two keys, both non-empty strings). */
export function isStoredSecretReference(value: unknown): value is StoredSecretReference {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) return false;
  const keys = Object.keys(value);
  const { secret, field } = value as Record<string, unknown>;
  return keys.length === 2 && typeof secret === 'string' && secret !== '' && typeof field === 'string' && field !== '';
}

function isCredentialPath(path: ReadonlyArray<string | number>): boolean {
  if (path.length === 1) return credentialSetting.test(String(path[0]));
  return path.length === 2 && path[0] === 'headers' && credentialHeader.test(String(path[1]));
}

function invalidSetting(path: ReadonlyArray<string | number>, message: string): GatewayError {
  const param = ['settings', ...path].join('.');
  return new GatewayError('invalid_request', `${param}: ${message}`, { param });
}

/**
 * Refuses what must not be stored: a `{ env: NAME }` reference (an administrator could otherwise send the
 * gateway's own environment credentials to a server of their choosing), and a credential given as a
 * literal value. The messages name the setting, never its value.
 */
export function checkStoredProviderSettings(settings: Record<string, unknown>): void {
  const visit = (value: unknown, path: Array<string | number>): void => {
    if (isStoredSecretReference(value)) return;
    if (isEnvironmentReference(value)) throw invalidSetting(path, 'environment references are for switchyard.yaml; reference a stored secret: { "secret": "<name>", "field": "<field>" }');
    if (typeof value === 'string' && isCredentialPath(path)) {
      throw invalidSetting(path, 'credentials are not stored as plain values; store it with `switchyard secret create <name> --from-literal key=...` and pass { "secret": "<name>", "field": "key" }');
    }
    if (Array.isArray(value)) value.forEach((item, index) => visit(item, [...path, index]));
    else if (value !== null && typeof value === 'object') for (const [key, item] of Object.entries(value)) visit(item, [...path, key]);
  };
  visit(settings, []);
}

/** The names of the secrets the settings reference. */
export function referencedSecretNames(settings: Record<string, unknown>): string[] {
  const names = new Set<string>();
  const visit = (value: unknown): void => {
    if (isStoredSecretReference(value)) names.add(value.secret);
    else if (Array.isArray(value)) value.forEach(visit);
    else if (value !== null && typeof value === 'object') Object.values(value).forEach(visit);
  };
  visit(settings);
  return [...names].sort();
}

/** Reads one secret's fields (`SecretStore.reveal` bound to an organisation); undefined when absent. */
export type RevealSecret = (name: string) => Promise<Record<string, string> | undefined>;

/**
 * Replaces every secret reference with the secret field's value, for building the provider instance (the
 * result lives only in the adapter). A missing secret or field is a 400 naming the reference.
 */
export async function resolveStoredSecretReferences(settings: Record<string, unknown>, reveal: RevealSecret | undefined): Promise<Record<string, unknown>> {
  const revealed = new Map<string, Record<string, string> | undefined>();
  const resolve = async (value: unknown, path: Array<string | number>): Promise<unknown> => {
    if (isStoredSecretReference(value)) {
      if (reveal === undefined) throw invalidSetting(path, `references the secret ${value.secret}, but no organisation was given to read it from (pass organisationId)`);
      if (!revealed.has(value.secret)) revealed.set(value.secret, await reveal(value.secret));
      const fields = revealed.get(value.secret);
      if (fields === undefined) throw invalidSetting(path, `no secret named ${value.secret} (create it with \`switchyard secret create ${value.secret}\`)`);
      if (!(value.field in fields)) throw invalidSetting(path, `the secret ${value.secret} has no field ${value.field} (it has: ${Object.keys(fields).sort().join(', ')})`);
      return fields[value.field];
    }
    if (Array.isArray(value)) return Promise.all(value.map((item, index) => resolve(item, [...path, index])));
    if (value !== null && typeof value === 'object') {
      const copy: Record<string, unknown> = {};
      for (const [key, item] of Object.entries(value)) copy[key] = await resolve(item, [...path, key]);
      return copy;
    }
    return value;
  };
  return (await resolve(settings, [])) as Record<string, unknown>;
}

/**
 * Settings as the admin API shows them: secret references as they are (a name and a field, no value), and
 * any other value in a credential position masked, in case a row was written around the API.
 */
export function presentableStoredSettings(settings: Record<string, unknown>): Record<string, unknown> {
  const present = (value: unknown, path: Array<string | number>): unknown => {
    if (isStoredSecretReference(value)) return { secret: value.secret, field: value.field };
    if (isCredentialPath(path)) return '[redacted]';
    if (Array.isArray(value)) return value.map((item, index) => present(item, [...path, index]));
    if (value !== null && typeof value === 'object') return Object.fromEntries(Object.entries(value).map(([key, item]) => [key, present(item, [...path, key])]));
    return value;
  };
  return present(settings, []) as Record<string, unknown>;
}
