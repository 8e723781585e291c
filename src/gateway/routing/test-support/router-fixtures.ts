import type { GatewayError } from '../../../spec/index.js';
import { defaultBreakerPolicy, defaultRetryPolicy, type BreakerPolicy, type Deployment, type ModelGroup, type RetryPolicy } from '../deployment.js';
import { Router } from '../router.js';
import { FakeClock } from './fake-clock.js';
import { seededRandom } from './seeded-random.js';

export function deployment(id: string, extra: Partial<Deployment> = {}): Deployment {
  return { id, provider: `provider-${id}`, model: `model-${id}`, weight: 1, ...extra };
}

export function group(name: string, deployments: Deployment[], extra: Partial<ModelGroup> = {}): ModelGroup {
  return { name, strategy: 'round-robin', deployments, fallbacks: [], contextWindowFallbacks: [], ...extra };
}

export interface TestRouter {
  router: Router;
  clock: FakeClock;
}

export function makeRouter(
  groups: ModelGroup[],
  options: { retry?: Partial<RetryPolicy>; breaker?: Partial<BreakerPolicy>; seed?: number } = {},
): TestRouter {
  const clock = new FakeClock();
  const router = new Router({
    groups: new Map(groups.map((entry) => [entry.name, entry])),
    retry: { ...defaultRetryPolicy, jitter: 0, ...options.retry },
    breaker: { ...defaultBreakerPolicy, ...options.breaker },
    clock,
    random: seededRandom(options.seed ?? 1),
  });
  return { router, clock };
}

/** What a scripted deployment does on its next call: succeed (with this value) or fail. */
export type ScriptStep = string | GatewayError | ((signal?: AbortSignal) => Promise<string>);

/**
 * An attempt function driven by a per-deployment script of outcomes; once a deployment's script is used up it
 * succeeds with `ok:<id>`. `calls` lists the deployment ids in call order.
 */
export function scripted(script: Record<string, ScriptStep[]>) {
  const calls: string[] = [];
  const attempt = async (target: Deployment): Promise<string> => {
    calls.push(target.id);
    const step = script[target.id]?.shift();
    if (step === undefined) return `ok:${target.id}`;
    if (typeof step === 'string') return step;
    if (typeof step === 'function') return step();
    throw step;
  };
  return { attempt, calls };
}
