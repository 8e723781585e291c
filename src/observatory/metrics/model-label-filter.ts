/**
 * Which model names and deployment ids may become Prometheus label values. A model name comes from the client
 * (`<provider>/<anything>` reaches the provider as given), so as a label it would let any caller create
 * series without bound. Only names the operator or the bundled catalog knows pass; every other name is
 * reported as `_OTHER` (the OpenTelemetry semconv's value for an unlisted name).
 */
export interface ModelLabelFilter {
  /** A configured group name, a configured deployment's model, or a model the catalog lists (also behind `<provider>/`). */
  isKnownModel(name: string): boolean;
  /** A configured deployment, or a direct-name deployment (`<provider>/<model>`) of a known model. */
  isKnownDeployment(deploymentId: string): boolean;
}

/** Where the known names come from. */
export interface ModelLabelSources {
  /** Model ids of the catalog (entries' `model` and `key`). */
  catalogModels: Iterable<string>;
  /** The configured model groups with their deployments. */
  configuredGroups: Iterable<{ name: string; deployments: Iterable<{ id: string; model: string }> }>;
  /** Whether a name is a provider instance now (instances can be added at run time). */
  isProvider: (name: string) => boolean;
}

/** Builds the filter once at start; look-ups are one or two set probes (they run per request). */
export function createModelLabelFilter(sources: ModelLabelSources): ModelLabelFilter {
  const models = new Set<string>(sources.catalogModels);
  const deployments = new Set<string>();
  for (const group of sources.configuredGroups) {
    models.add(group.name);
    for (const deployment of group.deployments) {
      models.add(deployment.model);
      deployments.add(deployment.id);
    }
  }
  const isKnownModel = (name: string): boolean => {
    if (models.has(name)) return true;
    // `<provider>/<model>`: the prefix must be a provider instance (bounded by configuration) and the rest known;
    // else `openai/<anything>/gpt-4o` would pass.
    const slash = name.indexOf('/');
    if (slash <= 0 || !models.has(name.slice(slash + 1)) || !sources.isProvider(name.slice(0, slash))) return false;
    // Remembered, so the next look-up is one probe; bounded by providers x known models.
    models.add(name);
    return true;
  };
  return {
    isKnownModel,
    isKnownDeployment: (deploymentId) => deployments.has(deploymentId) || isKnownModel(deploymentId),
  };
}

/**
 * The fallback when no catalog is given (tests, embedders): the first `limit` distinct names are kept and
 * later ones are unknown, so the series count stays bounded even so.
 */
export function firstNamesFilter(limit: number): ModelLabelFilter {
  const seen = new Set<string>();
  const admit = (name: string): boolean => {
    if (seen.has(name)) return true;
    if (seen.size >= limit) return false;
    seen.add(name);
    return true;
  };
  return { isKnownModel: admit, isKnownDeployment: admit };
}
