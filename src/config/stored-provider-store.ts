/**
 * Providers enabled at run time (`switchyard llm enable`, `POST /admin/v1/providers`), kept in the store so
 * every replica and every restart serves them. Their settings are the provider kind's settings, except that
 * credentials are {@link StoredSecretReference}s into the encrypted secret store, never values.
 */

/** A credential in stored settings: field `field` of the organisation's secret `secret`. */
export interface StoredSecretReference {
  secret: string;
  field: string;
}

/** One stored provider. */
export interface StoredProvider {
  /** The instance name, unique gateway-wide (models are addressed as `<name>/<model>`). */
  name: string;
  /** The provider kind (`ollama`, `openai`, ...). */
  kind: string;
  /** Whose secret store the references read and whose administrators may remove it; absent: master-only. */
  organisationId?: string;
  /** The kind's settings, credentials as {@link StoredSecretReference}s. */
  settings: Record<string, unknown>;
  /** Epoch milliseconds. */
  createdAt: number;
  updatedAt: number;
}

/** What {@link StoredProviderStore.put} writes. */
export type StoredProviderInput = Omit<StoredProvider, 'createdAt' | 'updatedAt'>;

/** The stored-provider port (SQLite and PostgreSQL: `SqlStoredProviderStore`). */
export interface StoredProviderStore {
  /** Creates the provider, or replaces the one of that name (keeping its creation time). */
  put(provider: StoredProviderInput, atMs: number): Promise<StoredProvider>;
  get(name: string): Promise<StoredProvider | undefined>;
  /** Every stored provider, by name. */
  list(): Promise<StoredProvider[]>;
  /** False when there was none of that name. */
  delete(name: string): Promise<boolean>;
}
