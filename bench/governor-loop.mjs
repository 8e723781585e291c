// Profiling aid: CPU per request of RequestGovernor.admit + its finalizer on the embedded preset's memory
// stores, in-process (no HTTP), for a key with 2 limits and 2 budgets; `--plain` for a key with none.
// `node bench/governor-loop.mjs [N] [--plain]` after `npm run build`.
import { createRequestContext } from '../dist/gateway/request-context.js';
import { RequestGovernor } from '../dist/gateway/governance/request-governor.js';
import { MemoryRateLimiter } from '../dist/governance/limits/memory-rate-limiter.js';
import { MemoryBudgetLedger } from '../dist/governance/budgets/memory-budget-ledger.js';
const limits = [
  { id: 'l1', scope: 'key', scopeId: 'key_1', metric: 'requests', limit: 1e12, windowMs: 60000, algorithm: 'sliding-window' },
  { id: 'l2', scope: 'key', scopeId: 'key_1', metric: 'tokens', limit: 1e12, windowMs: 60000, algorithm: 'sliding-window' },
];
const budgets = [
  { id: 'b1', scope: 'key', scopeId: 'key_1', period: 'month', limitMicros: 1e15, thresholds: [50, 80, 100] },
  { id: 'b2', scope: 'workspace', scopeId: 'ws_1', period: 'month', limitMicros: 1e15, thresholds: [50, 80, 100] },
];
const settings = { allowedModels: [] };
const view = { settingsFor: () => settings, policiesFor: () => [], limitsFor: () => limits, budgetsFor: () => budgets };
const plain = process.argv.includes('--plain');
const plainView = { settingsFor: () => settings, policiesFor: () => [], limitsFor: () => [], budgetsFor: () => [] };
const serving = { provider: 'openai', model: 'gpt-4o-mini', selfHosted: false, price: { inputPerMillion: 0.15, outputPerMillion: 0.6 }, maxOutputTokens: 16384 };
let now = Date.now();
const clock = { now: () => now };
const governor = new RequestGovernor({
  view: plain ? plainView : view, limiter: new MemoryRateLimiter(), budgets: new MemoryBudgetLedger({ reservationTtlMs: 600000 }),
  estimateServing: () => serving, auditDenial() {}, onThresholdCrossed() {}, clock, logger: { warn() {}, error() {}, info() {}, debug() {} }, concurrencyLeaseMs: 660000,
});
const principal = Object.freeze({ kind: 'key', keyId: 'key_1', prefix: 'sk-sy-ab', llm: {}, organisationId: 'org_1', workspaceId: 'ws_1', teamId: 'team_1', role: 'developer', allowedModels: [], allowedRoutes: [], metadata: {}, tags: [] });
const row = { id: 'r', costMicros: 30, inputTokens: 9, outputTokens: 3 };
const signal = new AbortController().signal;
async function governOneRequest() {
  // The context the gateway creates (every field present), so property stores behave as in the server.
  const context = createRequestContext({ requestId: 'r', dialect: 'openai', operation: 'chat', signal, presentedKey: undefined, requestedModel: 'gpt-4o-mini', stream: false, startedAt: now, startedMonotonic: 0 });
  context.principal = principal;
  await governor.admit(context, { operation: 'chat', route: '/v1/chat/completions', estimateInputTokens: () => 20, applyDefaults() {} });
  for (const finalizer of context.finalizers ?? []) finalizer(row);
}
const requests = Number(process.argv.find((argument) => /^\d+$/.test(argument)) ?? 200000);
for (let index = 0; index < 20000; index += 1) {
  now += 1;
  await governOneRequest();
}
const rounds = [];
for (let round = 0; round < 5; round += 1) {
  const before = process.cpuUsage();
  for (let index = 0; index < requests; index += 1) {
    now += 0.3;
    await governOneRequest();
  }
  const used = process.cpuUsage(before);
  rounds.push((used.user + used.system) / requests);
}
rounds.sort((a, b) => a - b);
console.log(plain ? 'plain' : 'governed', 'CPU µs/request (median of 5):', rounds[2].toFixed(2), `(all: ${rounds.map((value) => value.toFixed(2)).join(' ')})`);
