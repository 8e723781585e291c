import { defaultModelListLimit, type AnomalyModelStore, type AnomalyModelSummary, type AnomalyModelVersion } from './anomaly-model-store.js';

function summaryOf(version: AnomalyModelVersion): AnomalyModelSummary {
  const { model: _model, ...summary } = version;
  return structuredClone(summary);
}

/** The {@link AnomalyModelStore} in memory (tests, the fault-injection suite). */
export class MemoryAnomalyModelStore implements AnomalyModelStore {
  readonly #versions = new Map<string, AnomalyModelVersion>();

  async save(version: AnomalyModelVersion): Promise<void> {
    if (version.status === 'active') this.#deactivateAll();
    this.#versions.set(version.id, structuredClone(version));
  }

  async get(id: string): Promise<AnomalyModelVersion | undefined> {
    const found = this.#versions.get(id);
    return found === undefined ? undefined : structuredClone(found);
  }

  async active(): Promise<AnomalyModelVersion | undefined> {
    const found = [...this.#versions.values()].find((version) => version.status === 'active');
    return found === undefined ? undefined : structuredClone(found);
  }

  async list(options: { limit?: number } = {}): Promise<AnomalyModelSummary[]> {
    return [...this.#versions.values()]
      .sort((left, right) => right.version - left.version)
      .slice(0, options.limit ?? defaultModelListLimit)
      .map(summaryOf);
  }

  async latestVersion(): Promise<number> {
    return Math.max(0, ...[...this.#versions.values()].map((version) => version.version));
  }

  async activate(id: string, atMs: number): Promise<boolean> {
    const found = this.#versions.get(id);
    if (found === undefined || found.status === 'rejected') return false;
    this.#deactivateAll();
    found.status = 'active';
    found.activatedAt = atMs;
    return true;
  }

  #deactivateAll(): void {
    for (const version of this.#versions.values()) if (version.status === 'active') version.status = 'inactive';
  }
}
