import { z } from 'zod';

/** A deployment as the dashboard lists it: where it sends calls, which public models use it, and its health. */
export const deploymentStatusSchema = z.object({
  deploymentId: z.string(),
  provider: z.string(),
  model: z.string(),
  groups: z.array(z.string()).describe('The public model names (routing groups) it serves.'),
  weight: z.number(),
  state: z.enum(['closed', 'open', 'half-open']),
  inFlight: z.number().int(),
  latencyMs: z.number().optional(),
  consecutiveFailures: z.number().int(),
});
export type DeploymentStatus = z.infer<typeof deploymentStatusSchema>;

/** What the listing reads: the routing groups and the router's health snapshot (structural, so no import of gateway/). */
export interface DeploymentSources {
  groups(): Iterable<{ name: string; deployments: ReadonlyArray<{ id: string; provider: string; model: string; weight: number }> }>;
  snapshot(): ReadonlyArray<{ deploymentId: string; state: DeploymentStatus['state']; inFlight: number; latencyMs?: number; consecutiveFailures: number }>;
}

/** Every deployment once, with the groups that route to it, in the order of the configuration. */
export function listDeploymentStatuses(sources: DeploymentSources): DeploymentStatus[] {
  const health = new Map(sources.snapshot().map((view) => [view.deploymentId, view]));
  const statuses = new Map<string, DeploymentStatus>();
  for (const group of sources.groups()) {
    for (const deployment of group.deployments) {
      const known = statuses.get(deployment.id);
      if (known !== undefined) {
        if (!known.groups.includes(group.name)) known.groups.push(group.name);
        continue;
      }
      const view = health.get(deployment.id);
      const status: DeploymentStatus = {
        deploymentId: deployment.id,
        provider: deployment.provider,
        model: deployment.model,
        groups: [group.name],
        weight: deployment.weight,
        state: view?.state ?? 'closed',
        inFlight: view?.inFlight ?? 0,
        consecutiveFailures: view?.consecutiveFailures ?? 0,
      };
      if (view?.latencyMs !== undefined) status.latencyMs = view.latencyMs;
      statuses.set(deployment.id, status);
    }
  }
  return [...statuses.values()];
}
