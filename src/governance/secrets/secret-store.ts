/**
 * Provider credentials stored encrypted (AES-256-GCM under the encryption key from
 * `SWITCHYARD_ENCRYPTION_KEY`). Values are never returned by the admin API nor logged: only the gateway's
 * provider set reads them, through {@link SecretStore.reveal}.
 */

/** What the admin API may show of a secret. */
export interface SecretDescriptor {
  name: string;
  organisationId: string;
  /** The field names held (`key`, `endpoint`), never their values. */
  fields: string[];
  createdAt: number;
  updatedAt: number;
}

/** The secret store port. */
export interface SecretStore {
  /** Creates or replaces a secret (encrypting every field value). */
  put(organisationId: string, name: string, fields: Record<string, string>, atMs: number): Promise<SecretDescriptor>;
  list(organisationId: string): Promise<SecretDescriptor[]>;
  describe(organisationId: string, name: string): Promise<SecretDescriptor | undefined>;
  /** Decrypts. For the gateway's own use (provider credentials); never exposed over HTTP. */
  reveal(organisationId: string, name: string): Promise<Record<string, string> | undefined>;
  delete(organisationId: string, name: string): Promise<boolean>;
}
