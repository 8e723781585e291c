import type { Alert, AlertRule, AlertRuleFields, AlertState } from './alert-rule.js';

/** Filter of {@link AlertStore.listAlerts}; newest first. */
export interface AlertQuery {
  state?: AlertState;
  ruleId?: string;
  /** The rule's group (`all`, `model:gpt-4o`). */
  group?: string;
  organisationId?: string;
  workspaceId?: string;
  /** Inclusive lower bound on `firedAt`, epoch ms. */
  since?: number;
  /** At most this many (default 100, at most 1000). */
  limit?: number;
  /** Continue after the alert with this id (newest-first order). */
  afterId?: string;
}

/** A change to a rule: any of its fields; `workspaceId: null` detaches it from its workspace. */
export type AlertRulePatch = Partial<AlertRuleFields>;

/**
 * Alert rules and the history of alerts, on SQLite or PostgreSQL. Rules are few and read whole by the
 * evaluator; alerts are written once when they fire and once when they resolve (never per request).
 */
export interface AlertStore {
  createRule(rule: AlertRule): Promise<AlertRule>;
  getRule(id: string): Promise<AlertRule | undefined>;
  /** Every rule, or those of one organisation; ordered by id. */
  listRules(filter?: { organisationId?: string }): Promise<AlertRule[]>;
  /** The changed rule, or undefined when there is none with that id. */
  updateRule(id: string, patch: AlertRulePatch, atMs: number): Promise<AlertRule | undefined>;
  deleteRule(id: string): Promise<boolean>;

  /**
   * Records a firing alert and returns the alert that fires for its rule and group: `alert` itself, or, when
   * one is already firing (another replica fired it first), that one, and nothing is stored. At most one alert
   * of a rule and group fires at a time, whichever replicas evaluate it.
   */
  insertAlert(alert: Alert): Promise<Alert>;
  /** Marks a firing alert resolved; false when it is unknown or already resolved. */
  resolveAlert(id: string, resolvedAt: number): Promise<boolean>;
  listAlerts(query: AlertQuery): Promise<Alert[]>;
}

export const defaultAlertLimit = 100;
export const maximumAlertLimit = 1000;

/** The effective limit of an alert query. */
export function alertLimitOf(query: AlertQuery): number {
  return Math.max(0, Math.min(Math.floor(query.limit ?? defaultAlertLimit), maximumAlertLimit));
}
