import type { z } from 'zod';
import type { CallOptions, ProviderAdapter } from '../spec/index.js';

/** What provider discovery may look at: the environment, and a loopback probe for local servers. */
export interface DiscoveryContext {
  environment: Record<string, string | undefined>;
  /** True when an HTTP GET of `url` answers at all within a short time (used for a local Ollama). */
  probe(url: string): Promise<boolean>;
}

/**
 * One provider kind, as `providers/registry.ts` lists it. The gateway knows providers only through these
 * definitions: it never names a provider itself.
 */
export interface ProviderDefinition<Settings = unknown> {
  /** The kind, as written in config (`kind: openai`). */
  kind: string;
  /** One line for humans (`switchyard providers`, the start banner). */
  description: string;
  /** Validates this kind's settings (secrets already resolved to strings). */
  settingsSchema: z.ZodType<Settings>;
  /**
   * Settings found in the environment under the variable names the provider's own SDK reads
   * (`OPENAI_API_KEY`, ...), or undefined when this provider is not configured there.
   */
  discover(context: DiscoveryContext): Promise<Settings | undefined>;
  /** Builds an adapter instance named `name`. */
  create(name: string, settings: Settings): ProviderAdapter;
  /** The provider names this kind has in the model catalog (LiteLLM's `litellm_provider`), for bare model names and prices. */
  catalogProviders: string[];
  /**
   * Whether an instance with these settings runs on infrastructure the organisation controls (a "local
   * only" policy admits only those). Absent means a hosted service.
   */
  selfHosted?(settings: Settings): boolean;
  /** The environment variables discovery reads, for the "how to add a provider" hint. */
  environmentVariables: string[];
  /**
   * Downloads a model onto the server an instance of this kind talks to (`switchyard llm install`), yielding
   * the server's progress, the last one with status `success`. Rejects (while iterating) with a
   * GatewayError when the server refuses or fails. Absent for kinds whose models cannot be installed.
   * `adapter` is an instance this definition created.
   */
  pullModel?(adapter: ProviderAdapter, model: string, call: CallOptions): AsyncIterable<ModelPullProgress>;
}

/** One progress report of a model download (the fields of Ollama's pull status lines). */
export interface ModelPullProgress {
  /** What the server is doing (`pulling manifest`, `pulling <digest>`, `verifying sha256 digest`, `success`). */
  status: string;
  /** The layer being downloaded. */
  digest?: string;
  /** Bytes of that layer. */
  total?: number;
  /** Bytes of it received so far. */
  completed?: number;
}
