import { randomBytes } from 'node:crypto';
import type { Logger } from '../../spec/index.js';
import { unrefTimerScheduler, type FlushScheduler } from '../flush-scheduler.js';
import { breaches, type Alert, type AlertDimension, type AlertRule } from './alert-rule.js';
import type { AlertStore } from './alert-store.js';
import { describeValue, metricValue } from './metric-value.js';
import type { AlertWindow, OwnerKind, TrackedDimensions, WindowOwner } from './request-window.js';

/** A change of an alert's state, for the notification channels. */
export interface AlertNotice {
  kind: 'firing' | 'resolved';
  alert: Alert;
  rule: AlertRule;
}

/** Options of {@link AlertEvaluator}. */
export interface AlertEvaluatorOptions {
  window: AlertWindow;
  store: Pick<AlertStore, 'insertAlert' | 'resolveAlert' | 'listAlerts'>;
  /** Receives every firing and resolution; must not throw or block (queue the delivery). */
  notify(notice: AlertNotice): void;
  /** Epoch milliseconds. */
  now(): number;
  /** How often the rules are evaluated (default 10 s). */
  intervalMs?: number;
  scheduler?: FlushScheduler;
  logger: Logger;
}

/** The state of one rule and group: its firing alert, and when it last fired (for the cooldown). */
interface GroupState {
  firing?: Alert;
  lastFiredAt?: number;
  /** The store could not say whether the firing alert is the only one: its resolution is announced anyway. */
  unconfirmed?: boolean;
}

/** The state key of a rule and group. */
function stateKey(ruleId: string, group: string): string {
  return `${ruleId}\u0000${group}`;
}

/** What a rule is about within its owner's traffic: `all`, `model:gpt-4o`, `key:key_1`. */
export function groupOf(dimension: AlertDimension, value: string): string {
  return dimension === 'all' ? 'all' : `${dimension}:${value}`;
}

/** Whose traffic a rule sees: its workspace's, its organisation's, or (a config rule) everyone's. */
export function ownerOf(rule: Pick<AlertRule, 'organisationId' | 'workspaceId'>): WindowOwner {
  if (rule.workspaceId !== undefined) return { kind: 'workspace', id: rule.workspaceId };
  if (rule.organisationId !== undefined) return { kind: 'organisation', id: rule.organisationId };
  return { kind: 'everyone', id: '' };
}

/**
 * Evaluates the alert rules over the request window on a timer: per rule and group, an alert fires when the
 * metric breaks the threshold (once: it stays firing, without new notices, until the condition clears), and
 * resolves when it clears. With several replicas the store decides: the first to fire a rule and group stores
 * and announces the alert, the others adopt it silently, and whichever finds it clear first resolves and
 * announces that. A rule that fired for a group does not fire for it again within its cooldown.
 * Firing alerts are kept in the store, and reloaded at start, so a restart neither repeats nor forgets them.
 */
export class AlertEvaluator {
  readonly #options: AlertEvaluatorOptions;
  readonly #states = new Map<string, GroupState>();
  #rules: AlertRule[] = [];
  #running: Promise<void> | undefined;
  #cancelTimer: (() => void) | undefined;
  #stopped = false;

  constructor(options: AlertEvaluatorOptions) {
    this.#options = options;
  }

  /** Replaces the rules (at start and after every change); the window then counts what they read. */
  setRules(rules: ReadonlyArray<AlertRule>): void {
    this.#rules = rules.filter((rule) => rule.enabled);
    const tracked: Record<OwnerKind, Set<AlertDimension>> = { everyone: new Set(), organisation: new Set(), workspace: new Set() };
    for (const rule of this.#rules) tracked[ownerOf(rule).kind].add(rule.scope.dimension);
    this.#options.window.track(tracked satisfies TrackedDimensions);
  }

  /** Reloads the alerts still firing from the store (call once, before the first evaluation). */
  async restore(): Promise<void> {
    for (const alert of await this.#options.store.listAlerts({ state: 'firing', limit: 1000 })) {
      const key = stateKey(alert.ruleId, alert.group);
      if (!this.#states.has(key)) this.#states.set(key, { firing: alert, lastFiredAt: alert.firedAt });
    }
  }

  /** Starts evaluating every `intervalMs`. */
  start(): void {
    this.#stopped = false;
    this.#arm();
  }

  /** Stops the timer and waits for an evaluation in progress. */
  async stop(): Promise<void> {
    this.#stopped = true;
    this.#cancelTimer?.();
    await this.#running;
  }

  #arm(): void {
    if (this.#stopped) return;
    const scheduler = this.#options.scheduler ?? unrefTimerScheduler;
    this.#cancelTimer = scheduler.schedule(() => {
      void this.evaluate().finally(() => this.#arm());
    }, this.#options.intervalMs ?? 10_000);
  }

  /** Evaluates every rule now (evaluations never overlap: a second call waits for the first). */
  evaluate(): Promise<void> {
    const previous = this.#running ?? Promise.resolve();
    const next = previous.then(() => this.#evaluateOnce()).catch((error: Error) => this.#options.logger.error({ error: error.message }, 'alert evaluation failed'));
    this.#running = next;
    return next;
  }

  async #evaluateOnce(): Promise<void> {
    const nowMs = this.#options.now();
    const { window } = this.#options;
    const seen = new Set<string>();
    let longestWindowMs = 0;
    for (const rule of this.#rules) longestWindowMs = Math.max(longestWindowMs, rule.windowMs);
    // A shared window that cannot exchange its counts would judge on this replica's share alone: skip the
    // round (the error is logged by `evaluate`); the counts wait for the next one.
    if (window.refresh !== undefined && this.#rules.length > 0) await window.refresh(nowMs, longestWindowMs);
    for (const rule of this.#rules) {
      const owner = ownerOf(rule);
      const { dimension, value } = rule.scope;
      const values = dimension === 'all' ? [''] : value !== undefined ? [value] : window.valuesOf(owner, dimension);
      // A group that fired and then went quiet has no series any more, but must still resolve.
      const groups = new Map(values.map((each) => [groupOf(dimension, each), each]));
      for (const { firing } of this.#states.values()) {
        if (firing?.ruleId === rule.id && !groups.has(firing.group)) groups.set(firing.group, firing.group.slice(dimension.length + 1));
      }
      for (const [group, groupValue] of groups) {
        seen.add(stateKey(rule.id, group));
        const summary = window.summarise(owner, dimension, groupValue, nowMs, rule.windowMs);
        const measured = metricValue(rule, summary);
        const breaking = measured !== undefined && breaches(rule.comparison, measured, rule.threshold);
        await this.#judge(rule, group, breaking, measured ?? 0, nowMs, summary.budgetId);
      }
    }
    // Alerts of rules deleted or disabled meanwhile resolve.
    for (const [key, state] of this.#states) {
      if (seen.has(key)) continue;
      if (state.firing !== undefined) await this.#resolve(state, undefined, nowMs);
      this.#states.delete(key);
    }
    window.prune(nowMs, longestWindowMs);
  }

  async #judge(rule: AlertRule, group: string, breaking: boolean, value: number, nowMs: number, budgetId: string | undefined): Promise<void> {
    const key = stateKey(rule.id, group);
    const state = this.#states.get(key) ?? {};
    if (breaking && state.firing === undefined) {
      if (state.lastFiredAt !== undefined && nowMs - state.lastFiredAt < rule.cooldownMs) return;
      const alert: Alert = {
        id: `alt_${randomBytes(12).toString('base64url')}`,
        ruleId: rule.id,
        ruleName: rule.name,
        ...(rule.organisationId === undefined ? {} : { organisationId: rule.organisationId }),
        ...(rule.workspaceId === undefined ? {} : { workspaceId: rule.workspaceId }),
        group,
        severity: rule.severity,
        state: 'firing',
        value,
        threshold: rule.threshold,
        message: describeValue(rule, group, value, budgetId),
        firedAt: nowMs,
      };
      let firing: Alert;
      try {
        firing = await this.#options.store.insertAlert(alert);
      } catch (error) {
        // Better a notice that may repeat another replica's than none at all.
        this.#options.logger.error({ error: (error as Error).message, ruleId: rule.id }, 'storing a firing alert failed');
        this.#states.set(key, { firing: alert, lastFiredAt: nowMs, unconfirmed: true });
        this.#options.notify({ kind: 'firing', alert, rule });
        return;
      }
      this.#states.set(key, { firing, lastFiredAt: firing.firedAt });
      // Another replica fired it first and told the channels: this one follows its alert silently.
      if (firing.id === alert.id) this.#options.notify({ kind: 'firing', alert, rule });
    } else if (!breaking && state.firing !== undefined) {
      await this.#resolve(state, rule, nowMs);
    }
  }

  async #resolve(state: GroupState, rule: AlertRule | undefined, nowMs: number): Promise<void> {
    const firing = state.firing as Alert;
    state.firing = undefined;
    const unconfirmed = state.unconfirmed === true;
    state.unconfirmed = undefined;
    const resolved: Alert = { ...firing, state: 'resolved', resolvedAt: nowMs };
    // Only the replica whose update resolves the stored alert announces it (another may have done so already).
    let announce = unconfirmed;
    try {
      announce = (await this.#options.store.resolveAlert(firing.id, nowMs)) || unconfirmed;
    } catch (error) {
      this.#options.logger.error({ error: (error as Error).message, ruleId: firing.ruleId }, 'storing a resolved alert failed');
      announce = true;
    }
    // A deleted rule has nobody to tell (its channels went with it).
    if (rule !== undefined && announce) this.#options.notify({ kind: 'resolved', alert: resolved, rule });
  }
}
