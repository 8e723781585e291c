import { describe, expect, it } from 'vitest';
import { MemoryBudgetLedger } from '../../governance/budgets/memory-budget-ledger.js';
import type { BudgetDefinition } from '../../governance/budgets/budget-ledger.js';
import { MemoryRateLimiter } from '../../governance/limits/memory-rate-limiter.js';
import { reportRateLimitRefusals } from '../../governance/limits/refusal-reporting-rate-limiter.js';
import { upstreamStatusError } from '../../kit/upstream-status-error.js';
import { deployment, group, makeRouter, scripted } from '../../gateway/routing/test-support/router-fixtures.js';
import { ModelCatalog } from '../../registry/index.js';
import { BatchedLedgerWriter } from '../batched-writer.js';
import type { FlushScheduler } from '../flush-scheduler.js';
import type { LedgerRow } from '../ledger-row.js';
import { createGatewayMetrics } from '../metrics.js';
import { ledgerRow } from '../usage-ledger-contract.js';
import { readBudgetLines } from './budget-lines.js';
import { createModelLabelFilter } from './model-label-filter.js';

/** The value of the one sample line that starts with `prefix` (labels included), or undefined. */
function sampleValue(text: string, prefix: string): number | undefined {
  const line = text.split('\n').find((candidate) => candidate.startsWith(prefix));
  return line === undefined ? undefined : Number(line.slice(line.lastIndexOf(' ') + 1));
}

/** Sample lines (series) in an exposition text. */
function seriesCount(text: string): number {
  return text.split('\n').filter((line) => line !== '' && !line.startsWith('#')).length;
}

const catalogLabels = () =>
  createModelLabelFilter({
    catalogModels: ModelCatalog.bundled().entries().flatMap((entry) => [entry.model, entry.key]),
    configuredGroups: [{ name: 'smart', deployments: [{ id: 'smart#0:openai/gpt-4o', model: 'gpt-4o' }] }],
    isProvider: (name) => name === 'openai',
  });

/** A row of a request that reached OpenAI with a model name the client made up. */
function madeUpModelRow(index: number): LedgerRow {
  // Every third name hides a known model behind a made-up path (`openai/<made-up>/gpt-4o` serves `<made-up>/gpt-4o`).
  const made = `made-up-${index}-${Math.random().toString(36).slice(2)}`;
  const model = index % 3 === 0 ? `${made}/gpt-4o` : made;
  return ledgerRow({
    id: `r${index}`,
    requestedModel: `openai/${model}`,
    servedModel: model,
    attempts: [{ deploymentId: `openai/${model}`, provider: 'openai', model, outcome: 'ok', durationMs: 3 }],
    status: index % 2 === 0 ? 'ok' : 'error',
    errorCode: index % 2 === 0 ? undefined : 'upstream_rejected',
    costMicros: 5,
  });
}

describe('metric labels stay bounded', () => {
  it('adds no series for a flood of model names neither configured nor in the catalog', async () => {
    const metrics = createGatewayMetrics({ labels: catalogLabels() });
    metrics.record(madeUpModelRow(0));
    metrics.record(madeUpModelRow(1));
    const before = await metrics.render();
    for (let index = 2; index < 2_002; index += 1) metrics.record(madeUpModelRow(index));
    const after = await metrics.render();
    expect(seriesCount(after)).toBe(seriesCount(before));
    expect(after).not.toContain('made-up-');
    expect(after).toContain('gen_ai_response_model="_OTHER"');
    expect(sampleValue(after, 'switchyard_cost_micros_total{gen_ai_provider_name="openai",gen_ai_response_model="_OTHER"}')).toBe(5 * 2_002);
  });

  it('keeps configured and catalogued names, also behind a provider prefix', async () => {
    const metrics = createGatewayMetrics({ labels: catalogLabels() });
    metrics.record(ledgerRow({ id: 'c1', requestedModel: 'smart', servedModel: 'gpt-4o' }));
    metrics.record(ledgerRow({ id: 'c2', requestedModel: 'openai/gpt-4o-mini', servedModel: 'gpt-4o-mini' }));
    const text = await metrics.render();
    expect(text).toContain('gen_ai_request_model="smart"');
    expect(text).toContain('gen_ai_request_model="openai/gpt-4o-mini"');
    expect(text).toContain('gen_ai_response_model="gpt-4o-mini"');
  });

  it('without a catalog, lets at most 200 names in', async () => {
    const metrics = createGatewayMetrics();
    for (let index = 0; index < 1_000; index += 1) metrics.record(madeUpModelRow(index * 2));
    const text = await metrics.render();
    // Request and response model names share the 200 places.
    const models = new Set([...text.matchAll(/gen_ai_(?:request|response)_model="([^"]*)"/g)].map((match) => match[1]));
    expect(models.size).toBe(201);
    expect(models.has('_OTHER')).toBe(true);
  });
});

describe('state gauges', () => {
  it('report an opened circuit breaker, and only deployments whose model is known', async () => {
    const { router } = makeRouter(
      [
        group('m', [deployment('a', { weight: 1 }), deployment('b', { weight: 0 })], { strategy: 'weighted' }),
        group('openai/invented-model', [deployment('openai/invented-model')]),
      ],
      { breaker: { failureThreshold: 2 }, retry: { maxRetries: 0 } },
    );
    const labels = createModelLabelFilter({
      catalogModels: [],
      configuredGroups: [{ name: 'm', deployments: [{ id: 'a', model: 'model-a' }, { id: 'b', model: 'model-b' }] }],
      isProvider: (name) => name === 'openai',
    });
    const metrics = createGatewayMetrics({ labels });
    metrics.observeState({ deployments: () => router.snapshot() });
    expect(sampleValue(await metrics.render(), 'switchyard_circuit_state{deployment_id="a"}')).toBe(0);

    const failing = () => upstreamStatusError('upstream', 500, {}, { message: 'boom' });
    const { attempt } = scripted({ a: [failing(), failing()] });
    for (let call = 0; call < 2; call += 1) await router.route('m', attempt).catch(() => undefined);
    const text = await metrics.render();
    expect(sampleValue(text, 'switchyard_circuit_state{deployment_id="a"}')).toBe(2);
    expect(sampleValue(text, 'switchyard_circuit_state{deployment_id="b"}')).toBe(0);
    expect(text).not.toContain('invented-model');
    expect(sampleValue(text, 'switchyard_deployments_unexported')).toBe(1);
  });

  it("report the batched writer's pending rows", async () => {
    const appended: LedgerRow[] = [];
    const ledger = {
      append: async (rows: LedgerRow[]) => {
        appended.push(...rows);
      },
    };
    // The flush timer never fires by itself: the rows stay pending until the test flushes.
    const scheduler: FlushScheduler = { schedule: () => () => undefined };
    const writer = new BatchedLedgerWriter({ ledger, scheduler });
    const metrics = createGatewayMetrics();
    metrics.observeState({ writeQueues: { ledger: () => writer.stats() } });
    for (let index = 0; index < 5; index += 1) writer.write(ledgerRow({ id: `q${index}` }));
    expect(sampleValue(await metrics.render(), 'switchyard_write_queue_rows{queue="ledger"}')).toBe(5);

    await writer.flush();
    const text = await metrics.render();
    expect(appended).toHaveLength(5);
    expect(sampleValue(text, 'switchyard_write_queue_rows{queue="ledger"}')).toBe(0);
    expect(sampleValue(text, 'switchyard_write_queue_written_total{queue="ledger"}')).toBe(5);
    expect(sampleValue(text, 'switchyard_write_queue_dropped_total{queue="ledger"}')).toBe(0);
  });

  it('report each budget against its limit, read at scrape time', async () => {
    const budgets: BudgetDefinition[] = [
      { id: 'b_team', scope: 'team', scopeId: 't1', period: 'month', limitMicros: 1_000_000, thresholds: [] },
      { id: 'b_key', scope: 'key', scopeId: 'k1', period: 'day', limitMicros: 400, thresholds: [] },
    ];
    const ledger = new MemoryBudgetLedger({ loader: async (budget) => (budget.id === 'b_team' ? 250_000 : 0) });
    const now = Date.UTC(2026, 10, 27, 12);
    const metrics = createGatewayMetrics();
    metrics.observeState({ budgets: () => readBudgetLines(async () => budgets, (definitions, at) => ledger.states(definitions, at), now) });
    expect(sampleValue(await metrics.render(), 'switchyard_budget_spent_ratio{budget_id="b_team",scope="team",period="month"}')).toBe(0.25);

    const reserved = await ledger.reserve([budgets[1]!], 300, now);
    if (!reserved.admitted) throw new Error('expected the reservation to be admitted');
    await ledger.settle(reserved.reservation, 300, [budgets[1]!], now);
    const text = await metrics.render();
    expect(sampleValue(text, 'switchyard_budget_spent_ratio{budget_id="b_key",scope="key",period="day"}')).toBe(0.75);
    expect(sampleValue(text, 'switchyard_budget_spent_micros{budget_id="b_key",scope="key",period="day"}')).toBe(300);
    expect(sampleValue(text, 'switchyard_budget_limit_micros{budget_id="b_key",scope="key",period="day"}')).toBe(400);
  });

  it('answer a scrape without the budget series when the store fails', async () => {
    const failures: string[] = [];
    const metrics = createGatewayMetrics();
    metrics.observeState({
      budgets: async () => {
        throw new Error('store down');
      },
      onError: (source, error) => failures.push(`${source}: ${error.message}`),
    });
    const text = await metrics.render();
    expect(text).toContain('# TYPE switchyard_budget_spent_ratio gauge');
    expect(text).not.toMatch(/^switchyard_budget_spent_ratio\{/m);
    expect(failures).toEqual(['budgets: store down']);
  });
});

describe('rate-limit refusals', () => {
  it('are counted by the owner kind of the refusing limit', async () => {
    const metrics = createGatewayMetrics();
    const limiter = reportRateLimitRefusals(new MemoryRateLimiter(), metrics.countRateLimitRefusal);
    const rule = { counter: 'team:t_1:requests:60000:sliding-window', name: 'requests', metric: 'requests' as const, limit: 2, windowMs: 60_000, algorithm: 'sliding-window' as const };
    const decisions = [];
    for (let call = 0; call < 4; call += 1) decisions.push((await limiter.consume([{ rule, cost: 1 }], 1_000)).allowed);
    expect(decisions).toEqual([true, true, false, false]);
    const first = await limiter.acquire('key:k_1:concurrent', 1, 60_000, 1_000);
    expect(first.allowed).toBe(true);
    expect((await limiter.acquire('key:k_1:concurrent', 1, 60_000, 1_000)).allowed).toBe(false);
    const text = await metrics.render();
    expect(sampleValue(text, 'switchyard_rate_limit_refusals_total{scope="team",limit="requests"}')).toBe(2);
    expect(sampleValue(text, 'switchyard_rate_limit_refusals_total{scope="key",limit="concurrency"}')).toBe(1);
  });
});
