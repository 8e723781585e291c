import type { LimitCheck, LimitRule } from './rate-limiter.js';

/** The checks of one call that share a counter, merged: they draw on one state, so their costs add up. */
export interface GroupedCheck {
  /** The rule of the first check on this counter (rules sharing a counter are expected to agree). */
  rule: LimitRule;
  /** The summed cost of every check on this counter. */
  cost: number;
}

/** The checks of one call merged by counter, and for each check the group it belongs to. */
export interface CheckGrouping {
  readonly groups: ReadonlyArray<Readonly<GroupedCheck>>;
  readonly groupOfCheck: ReadonlyArray<number>;
}

/** Groupings of frozen check lists (see {@link frozenChecks}), worked out once per list. */
const groupingOfFrozen = new WeakMap<ReadonlyArray<LimitCheck>, CheckGrouping>();

/**
 * Freezes a check list and its checks, so every limiter groups it once instead of on every call: the
 * governor builds one list per key and model and passes the same list with every request.
 */
export function frozenChecks(checks: LimitCheck[]): ReadonlyArray<LimitCheck> {
  for (const check of checks) Object.freeze(check);
  return Object.freeze(checks);
}

/**
 * Merges the checks of one call by counter, in order of first appearance, and says for each check which
 * group it belongs to. Without the merge, two checks on one counter would each see the room before the
 * other took its share and together could take more than the limit. A frozen list's grouping is remembered
 * (it cannot change); the result is shared, so it is read-only.
 */
export function groupChecksByCounter(checks: ReadonlyArray<LimitCheck>): CheckGrouping {
  if (!Object.isFrozen(checks)) return groupChecks(checks);
  let grouping = groupingOfFrozen.get(checks);
  if (grouping === undefined) {
    const { groups, groupOfCheck } = groupChecks(checks);
    for (const group of groups) Object.freeze(group);
    grouping = { groups: Object.freeze(groups), groupOfCheck: Object.freeze(groupOfCheck) };
    groupingOfFrozen.set(checks, grouping);
  }
  return grouping;
}

function groupChecks(checks: ReadonlyArray<LimitCheck>): { groups: GroupedCheck[]; groupOfCheck: number[] } {
  const groups: GroupedCheck[] = [];
  const groupOfCheck: number[] = [];
  const indexByCounter = new Map<string, number>();
  for (const check of checks) {
    assertValidCheck(check);
    let index = indexByCounter.get(check.rule.counter);
    if (index === undefined) {
      index = groups.length;
      indexByCounter.set(check.rule.counter, index);
      groups.push({ rule: check.rule, cost: check.cost });
    } else {
      const group = groups[index]!;
      group.cost += check.cost;
    }
    groupOfCheck.push(index);
  }
  return { groups, groupOfCheck };
}

// Rules come from validated definitions; a bad one here is a programming error, not a client's.
function assertValidCheck(check: LimitCheck): void {
  const { rule, cost } = check;
  if (!(rule.limit > 0) || !Number.isFinite(rule.limit)) throw new RangeError(`limit of ${rule.counter} must be positive`);
  if (!(rule.windowMs > 0) || !Number.isFinite(rule.windowMs)) throw new RangeError(`windowMs of ${rule.counter} must be positive`);
  if (!(cost >= 0) || !Number.isFinite(cost)) throw new RangeError(`cost on ${rule.counter} must be zero or more`);
}

/**
 * The units a check needs free to be admitted: its cost, but at least one, so that a check of cost 0 ("only
 * check") is refused exactly when the counter shows `remaining: 0`, like a request that arrives when the
 * window is spent.
 */
export function unitsNeeded(cost: number): number {
  return Math.max(cost, 1);
}
