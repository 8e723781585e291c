import { GatewayError, type Clock, type Logger } from '../../spec/index.js';
import type { AuditActor, AuditEntry } from '../../governance/audit/audit-log.js';
import type { BudgetDefinition, BudgetLedger, BudgetReservation, ThresholdCrossing } from '../../governance/budgets/budget-ledger.js';
import type { ConcurrencyLease, LimitCheck, RateLimiter } from '../../governance/limits/rate-limiter.js';
import { resolveLimitRules, type LimitDefinition, type ResolvedLimits } from '../../governance/limits/limit-definition.js';
import { rateLimitHeaders } from '../../governance/limits/rate-limit-headers.js';
import { frozenChecks } from '../../governance/limits/grouped-checks.js';
import { evaluatePolicies } from '../../governance/policy/evaluate-policies.js';
import { isRouteAllowed } from '../../governance/access/route-allowed.js';
import { matchesModelPattern } from '../../governance/policy/model-pattern.js';
import type { AgentTokenPrincipal, KeyPrincipal } from '../../governance/principal.js';
import type { LedgerRow } from '../../observatory/index.js';
import { computeCostMicros } from '../../observatory/index.js';
import type { RequestContext } from '../request-context.js';
import type { GovernanceView, GovernedSubject } from './governance-view.js';

/** What the governor needs to know of the call being admitted. */
export interface GovernedCall {
  operation: 'chat' | 'embeddings';
  /** The path the client called, for keys restricted to routes. */
  route: string;
  /** `max_tokens` (or equivalent) the client asked for, if any. */
  maxOutputTokens?: number;
  metadata?: Readonly<Record<string, string>>;
  /**
   * The prompt's tokens for the worst-case cost, estimated without a tokenizer (called only when a budget or
   * a cost policy needs it): see `roughTokenCount`.
   */
  estimateInputTokens(): number;
  /** Applies hierarchy defaults the request did not set itself. */
  applyDefaults(defaults: { temperature?: number; maxTokens?: number }): void;
}

/** Where the model a request names would be served, for policies and the cost estimate. */
export interface ServingEstimate {
  provider: string;
  model: string;
  selfHosted: boolean;
  price: Parameters<typeof computeCostMicros>[1];
  maxOutputTokens?: number;
}

/** Everything the governor is built from. */
export interface RequestGovernorDependencies {
  view: GovernanceView;
  limiter: RateLimiter;
  budgets: BudgetLedger;
  /** The first deployment a model name resolves to (throws `model_not_found`). */
  estimateServing(model: string): ServingEstimate;
  /** Appends a refused decision to the audit log (off the response path). */
  auditDenial(entry: AuditEntry): void;
  onThresholdCrossed(crossing: ThresholdCrossing, subject: GovernedSubject): void;
  clock: Clock;
  logger: Logger;
  /** Slots of a concurrency limit are freed after this long if their holder died (the total timeout). */
  concurrencyLeaseMs: number;
}

/** Output tokens assumed for the worst case when neither the request nor the catalog bounds them. */
const defaultWorstCaseOutputTokens = 4096;

/**
 * The governance stage's work for one request, in the order the issue gives: configuration hierarchy
 * (defaults, allowed models), policies, rate limits, then the budget reservation. Everything it takes is given
 * back or settled in a finalizer that runs with the ledger row, whatever the outcome (success, error, abort).
 * The master key is not governed: it is the operator's own key.
 */
export class RequestGovernor {
  /**
   * Resolved limit rules by the view's limit list and the requested model. The view hands out the same list
   * for a key until its definitions change (then a new list), so a changed limit is never answered from here,
   * and resolving (counter names built from escaped scope ids) happens once per key and model, not per request.
   */
  private readonly resolvedLimits = new WeakMap<readonly LimitDefinition[], Map<string, GovernedLimits>>();
  /**
   * Who last reserved on a list of budgets (the view hands out one list per subject until definitions change):
   * thresholds crossed when a lease of that list is settled in the background are reported with that subject.
   */
  private readonly subjectOfBudgets = new WeakMap<ReadonlyArray<BudgetDefinition>, GovernedSubject>();

  constructor(private readonly dependencies: RequestGovernorDependencies) {}

  /** Admits the call or throws the refusal in catalog form; sets `context.requestedModel` to the effective model. */
  async admit(context: RequestContext, call: GovernedCall): Promise<void> {
    const principal = context.principal;
    if (principal === undefined || principal.kind === 'master') return;
    const { view, clock } = this.dependencies;
    if (principal.kind === 'key' && principal.allowedRoutes.length > 0 && !isRouteAllowed(principal.allowedRoutes, call.route)) {
      throw this.deny(context, principal, 'permission_denied', `This key may not call ${call.route}.`, 'route');
    }
    if (principal.kind === 'agent-token') {
      const needed = call.operation === 'chat' ? 'gateway:chat' : 'gateway:embeddings';
      if (!principal.scopes.includes(needed) && !principal.scopes.includes('*')) {
        throw this.deny(context, principal, 'permission_denied', `The agent token lacks the scope ${needed}.`, 'scope');
      }
    }
    const subject = subjectOf(principal);
    const settings = view.settingsFor(subject);

    if (context.requestedModel === '' || context.requestedModel === 'default') {
      if (settings.model === undefined) {
        throw new GatewayError('invalid_request', 'The request names no model and no default model is configured for this key, workspace or organisation.', { param: 'model' });
      }
      context.requestedModel = settings.model;
    }
    if (call.operation === 'chat' && (settings.temperature !== undefined || settings.maxTokens !== undefined)) {
      call.applyDefaults({ temperature: settings.temperature, maxTokens: settings.maxTokens });
    }
    const model = context.requestedModel;
    // The key's own list is one of the settings' levels; an agent token's list narrows further.
    const modelLists = principal.kind === 'agent-token' && principal.allowedModels.length > 0
      ? [...settings.allowedModels, { patterns: principal.allowedModels, source: 'the agent token' }]
      : settings.allowedModels;
    for (const list of modelLists) {
      if (!list.patterns.some((pattern) => matchesModelPattern(pattern, model))) {
        throw this.deny(context, principal, 'permission_denied', `Model ${model} is not in the allowed models of ${list.source} (${list.patterns.join(', ')}).`, 'allowed-models');
      }
    }

    const policies = view.policiesFor(subject);
    const limits = view.limitsFor(subject);
    const budgets = view.budgetsFor(subject);
    if (policies.length === 0 && limits.length === 0 && budgets.length === 0) return;

    const serving = this.dependencies.estimateServing(model);
    let inputTokens: number | undefined;
    const input = () => (inputTokens ??= call.estimateInputTokens());
    // Read only when a policy or budget needs it: on the fast path it decodes the whole request.
    let worstCaseOutputTokens: number | undefined;
    const maxOutputTokens = () => (worstCaseOutputTokens ??= call.operation === 'embeddings' ? 0 : call.maxOutputTokens ?? serving.maxOutputTokens ?? defaultWorstCaseOutputTokens);
    let estimatedCost: number | undefined;
    const cost = () => (estimatedCost ??= computeCostMicros({ inputTokens: input(), outputTokens: maxOutputTokens() }, serving.price) ?? 0);

    if (policies.length > 0) {
      const verdict = evaluatePolicies(
        policies,
        { model, provider: serving.provider, estimatedCostMicros: cost(), maxTokens: maxOutputTokens() === 0 ? undefined : maxOutputTokens(), metadata: call.metadata ?? {} },
        { isLocalProvider: () => serving.selfHosted },
      );
      if (!verdict.allowed) throw this.deny(context, principal, 'policy_denied', verdict.reason, `policy ${verdict.policyId}: ${verdict.rule}`);
    }

    const leases: ConcurrencyLease[] = [];
    let tokenChecks: ReadonlyArray<LimitCheck> = [];
    let reservation: BudgetReservation | undefined;
    const finalizers = (context.finalizers ??= []);
    // Registered before anything is taken, so a refusal further down still gives back what was taken.
    finalizers.push((row) => this.settle(row, subject, budgets, reservation, tokenChecks, leases));

    // Every store call goes out in the same turn: the scaled preset's Redis stores batch a turn's calls, so
    // limits, concurrency slots and the budget reservation cost one round trip instead of three in a row.
    // All are awaited before anything is decided, so the finalizer knows everything that was taken and gives
    // it back when a check refuses. The refusal order stays: rate limits, concurrency, then the budget.
    // (Decision 0013: a request refused by a limit holds its reservation for that one round trip.)
    const now = clock.now();
    const resolved = limits.length > 0 ? this.limitRulesFor(limits, subject, model) : undefined;
    // A token limit is checked at admission (there must be room) and charged with the real usage when the
    // call ends: the prompt's size is known exactly only from the provider, and a guess charged up front
    // could not be refunded.
    const checks = resolved?.checks;
    const { limiter } = this.dependencies;
    const consumed = checks === undefined ? undefined : settled(limiter.consume(checks, now));
    const acquired = resolved?.concurrency.map((concurrency) => settled(limiter.acquire(concurrency.counter, concurrency.limit, this.dependencies.concurrencyLeaseMs, now)));
    if (budgets.length > 0) this.subjectOfBudgets.set(budgets, subject);
    const reserved = budgets.length > 0 ? settled(this.dependencies.budgets.reserve(budgets, cost(), now)) : undefined;
    const limitOutcome = consumed === undefined ? undefined : await consumed;
    const concurrencyOutcomes = acquired === undefined || acquired.length === 0 ? [] : await Promise.all(acquired);
    const budgetOutcome = reserved === undefined ? undefined : await reserved;
    // Record what was taken before deciding, so every refusal below gives it back.
    for (const outcome of concurrencyOutcomes) if (outcome.ok && outcome.value.lease !== undefined) leases.push(outcome.value.lease);
    if (budgetOutcome?.ok && budgetOutcome.value.admitted) reservation = budgetOutcome.value.reservation;

    if (limitOutcome !== undefined && resolved !== undefined && checks !== undefined) {
      const decision = this.unwrap(limitOutcome);
      const headers = rateLimitHeaders(decision.statuses);
      context.responseHeaders = context.responseHeaders === undefined ? headers : { ...context.responseHeaders, ...headers };
      if (!decision.allowed) {
        const retryAfterSeconds = Math.max(1, Math.ceil((decision.retryAfterMs ?? 1000) / 1000));
        throw new GatewayError('rate_limited', `Rate limit reached for ${decision.refusedBy?.name ?? 'requests'} (${decision.refusedBy?.limit ?? ''} per window); retry after ${retryAfterSeconds} s.`, {
          retryAfterSeconds,
          headers,
        });
      }
      tokenChecks = resolved.tokenChecks;
      concurrencyOutcomes.forEach((outcome, index) => {
        const slot = this.unwrap(outcome);
        if (!slot.allowed || slot.lease === undefined) {
          throw new GatewayError('rate_limited', `Too many concurrent requests (limit ${resolved.concurrency[index]!.limit}); retry when one has finished.`, { retryAfterSeconds: 1 });
        }
      });
    }

    if (budgetOutcome !== undefined) {
      const outcome = this.unwrap(budgetOutcome);
      if (!outcome.admitted) {
        const state = outcome.refusedBy;
        throw this.deny(
          context,
          principal,
          'budget_exceeded',
          `Budget ${state.budgetId} is spent: ${formatDollars(state.spentMicros + state.reservedMicros)} of ${formatDollars(state.limitMicros)} used or reserved this period; this request may cost up to ${formatDollars(cost())}. It resets at ${new Date(state.periodEnd).toISOString()}.`,
          'budget',
        );
      }
    }
  }

  /** Reports thresholds crossed outside a request's own settlement (a budget lease settled in the background). */
  reportCrossings(crossings: ReadonlyArray<ThresholdCrossing>, budgets: ReadonlyArray<BudgetDefinition>): void {
    const subject = this.subjectOfBudgets.get(budgets);
    if (subject === undefined) {
      for (const crossing of crossings) this.dependencies.logger.warn({ budgetId: crossing.budgetId, threshold: crossing.threshold }, 'budget threshold crossed by a settled lease whose requester is unknown');
      return;
    }
    for (const crossing of crossings) this.dependencies.onThresholdCrossed(crossing, subject);
  }

  private limitRulesFor(limits: readonly LimitDefinition[], subject: GovernedSubject, model: string): GovernedLimits {
    let byModel = this.resolvedLimits.get(limits);
    if (byModel === undefined) {
      byModel = new Map();
      this.resolvedLimits.set(limits, byModel);
    }
    let resolved = byModel.get(model);
    if (resolved === undefined) {
      const { rules, concurrency } = resolveLimitRules(limits, { ...subject, model });
      // Built once per key and model, frozen: the limiters then group the list once, not per request.
      const checks = frozenChecks(rules.map((rule) => ({ rule, cost: rule.metric === 'requests' ? 1 : 0 })));
      resolved = { rules, concurrency, checks, tokenChecks: checks.filter((check) => check.rule.metric === 'tokens') };
      byModel.set(model, resolved);
    }
    return resolved;
  }

  /** A store that is down refuses the request (fail closed) instead of letting it through ungoverned. */
  private unwrap<T>(outcome: Settled<T>): T {
    if (outcome.ok) return outcome.value;
    const error = outcome.error;
    if (error instanceof GatewayError) throw error;
    this.dependencies.logger.error({ error: (error as Error).message }, 'governance store unreachable');
    throw new GatewayError('service_unavailable', 'Rate limits and budgets cannot be checked right now (their store is unreachable); try again shortly.', { cause: error, retryAfterSeconds: 1 });
  }

  private deny(context: RequestContext, principal: KeyPrincipal | AgentTokenPrincipal, code: 'permission_denied' | 'policy_denied' | 'budget_exceeded', reason: string, rule: string): GatewayError {
    const actor: AuditActor = principal.kind === 'key' ? { kind: 'key', id: principal.keyId } : { kind: 'agent-token', id: principal.tokenId };
    this.dependencies.auditDenial({
      actor,
      action: code === 'budget_exceeded' ? 'budget.refuse' : 'policy.deny',
      target: { kind: 'model', id: context.requestedModel },
      organisationId: principal.organisationId,
      workspaceId: principal.workspaceId,
      outcome: 'denied',
      details: { reason, rule, operation: context.operation },
      requestId: context.requestId,
    });
    return new GatewayError(code, reason);
  }

  private settle(
    row: LedgerRow,
    subject: GovernedSubject,
    budgets: ReturnType<GovernanceView['budgetsFor']>,
    reservation: BudgetReservation | undefined,
    tokenChecks: ReadonlyArray<LimitCheck>,
    leases: ConcurrencyLease[],
  ): void {
    const { logger, clock } = this.dependencies;
    const warn = (what: string) => (error: Error) => logger.warn({ error: error.message, requestId: row.id }, what);
    for (const lease of leases) lease.release().catch(warn('releasing a concurrency slot failed'));
    const now = clock.now();
    if (reservation !== undefined) {
      this.dependencies.budgets
        .settle(reservation, row.costMicros ?? 0, budgets, now)
        .then((crossings) => {
          for (const crossing of crossings) this.dependencies.onThresholdCrossed(crossing, subject);
        })
        .catch(warn('settling a budget reservation failed'));
    }
    if (tokenChecks.length > 0) {
      const used = (row.inputTokens ?? 0) + (row.cacheReadTokens ?? 0) + (row.cacheWriteTokens ?? 0) + (row.outputTokens ?? 0) + (row.reasoningTokens ?? 0);
      if (used > 0) this.dependencies.limiter.record(tokenChecks.map((check) => ({ rule: check.rule, cost: used })), now).catch(warn('recording token usage failed'));
    }
  }
}

/** A key's limits for one model, with the checks every request of it makes (one frozen list, grouped once). */
interface GovernedLimits extends ResolvedLimits {
  checks: ReadonlyArray<LimitCheck>;
  /** The token checks among them, charged with the real usage when the call ends. */
  tokenChecks: ReadonlyArray<LimitCheck>;
}

/** A store call's outcome, caught so that calls made together are all awaited before one refusal is thrown. */
type Settled<T> = { ok: true; value: T } | { ok: false; error: unknown };

function settled<T>(operation: Promise<T>): Promise<Settled<T>> {
  return operation.then(
    (value) => ({ ok: true, value }),
    (error: unknown) => ({ ok: false, error }),
  );
}

function subjectOf(principal: KeyPrincipal | AgentTokenPrincipal): GovernedSubject {
  return {
    keyId: principal.keyId,
    teamId: principal.teamId,
    workspaceId: principal.workspaceId ?? '',
    organisationId: principal.organisationId,
    key: principal.kind === 'key' ? { prefix: principal.prefix, llm: principal.llm, allowedModels: principal.allowedModels } : undefined,
  };
}

function formatDollars(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(micros < 10_000 ? 6 : 2)}`;
}
