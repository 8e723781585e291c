/** A model a provider offers, as listed by `GET /v1/models`. */
export interface ModelInfo {
  /** The upstream id (`gpt-4o-mini`). */
  id: string;
  ownedBy?: string;
  createdAt?: number;
  displayName?: string;
  contextWindow?: number;
  maxOutputTokens?: number;
}

/** What a model can do, as far as the adapter and the catalog know. */
export interface ModelCapabilities {
  chat: boolean;
  embeddings: boolean;
  tools: boolean;
  images: boolean;
  jsonSchema: boolean;
  reasoning: boolean;
  contextWindow?: number;
  maxOutputTokens?: number;
}
