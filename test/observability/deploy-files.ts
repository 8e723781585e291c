import { readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parse } from 'yaml';

// Reading what `deploy/` ships (Grafana dashboards, Prometheus rules) and the metric names their PromQL uses,
// for the tests that hold them against what the gateway really exposes.

export const deployDirectory = resolve(dirname(fileURLToPath(import.meta.url)), '../../deploy');
export const prometheusDirectory = join(deployDirectory, 'prometheus');
export const grafanaDirectory = join(deployDirectory, 'grafana');

/** The rule files (`deploy/prometheus/*.yml`), absolute paths. */
export function ruleFiles(): string[] {
  return readdirSync(prometheusDirectory)
    .filter((name) => name.endsWith('.yml'))
    .map((name) => join(prometheusDirectory, name));
}

export interface RuleFileRule {
  record?: string;
  alert?: string;
  expr: string;
}

/** Every group of every rule file. */
export function ruleGroups(): Array<{ file: string; name: string; rules: RuleFileRule[] }> {
  return ruleFiles().flatMap((file) => {
    const parsed = parse(readFileSync(file, 'utf8')) as { groups: Array<{ name: string; rules: RuleFileRule[] }> };
    return parsed.groups.map((group) => ({ file, name: group.name, rules: group.rules }));
  });
}

export interface DashboardPanel {
  id: number;
  type: string;
  title: string;
  gridPos?: { x: number; y: number; w: number; h: number };
  datasource?: { type: string; uid: string };
  targets?: Array<{ refId: string; expr: string }>;
  panels?: DashboardPanel[];
}

export interface Dashboard {
  uid: string;
  title: string;
  schemaVersion: number;
  panels: DashboardPanel[];
  templating: { list: Array<{ name: string; type: string; query?: unknown; definition?: string }> };
}

/** Every dashboard JSON file, parsed. */
export function dashboards(): Array<{ file: string; dashboard: Dashboard }> {
  return readdirSync(grafanaDirectory)
    .filter((name) => name.endsWith('.json'))
    .map((name) => ({ file: name, dashboard: JSON.parse(readFileSync(join(grafanaDirectory, name), 'utf8')) as Dashboard }));
}

/** Every PromQL expression of a dashboard (panel targets, also inside rows, and query variables). */
export function dashboardExpressions(dashboard: Dashboard): Array<{ where: string; expr: string }> {
  const found: Array<{ where: string; expr: string }> = [];
  const visit = (panels: DashboardPanel[]) => {
    for (const panel of panels) {
      for (const target of panel.targets ?? []) found.push({ where: `panel "${panel.title}" ${target.refId}`, expr: target.expr });
      visit(panel.panels ?? []);
    }
  };
  visit(dashboard.panels);
  for (const variable of dashboard.templating.list) {
    const labelValues = variable.definition?.match(/^label_values\((\w+),/);
    if (labelValues) found.push({ where: `variable ${variable.name}`, expr: labelValues[1]! });
  }
  return found;
}

/** Grafana's own variables replaced by values Prometheus accepts, so an expression can be run as is. */
export function withGrafanaVariables(expr: string): string {
  return expr
    .replaceAll('$__rate_interval', '1m')
    .replaceAll('$__range', '5m')
    .replace(/\$\{?(\w+)\}?/g, '.*');
}

const promqlWords = new Set(['by', 'without', 'on', 'ignoring', 'group_left', 'group_right', 'and', 'or', 'unless', 'bool', 'offset', 'inf', 'nan']);

/**
 * The metric names an expression reads. A rough PromQL lexer, enough for the expressions we ship: it drops
 * strings, label matchers, ranges, the label lists of `by (...)`-style clauses and numbers; what is left and
 * is not a function call or a keyword is a metric name.
 */
export function metricNamesOf(expr: string): string[] {
  const stripped = withGrafanaVariables(expr)
    .replace(/"(?:[^"\\]|\\.)*"|'(?:[^'\\]|\\.)*'/g, '""')
    .replace(/\{[^}]*\}/g, ' ')
    .replace(/\[[^\]]*\]/g, ' ')
    .replace(/\b(by|without|on|ignoring|group_left|group_right)\s*\([^)]*\)/g, ' ');
  const names = new Set<string>();
  for (const match of stripped.matchAll(/([A-Za-z_:][A-Za-z0-9_:]*)(\s*\()?/g)) {
    const [, word, call] = match;
    if (call !== undefined || promqlWords.has(word!.toLowerCase())) continue;
    // A number's exponent (`1e6`) is matched from its `e`: skip identifiers glued to a digit before them.
    const before = stripped[match.index! - 1];
    if (before !== undefined && /[0-9.]/.test(before)) continue;
    names.add(word!);
  }
  return [...names];
}

/** The series names an exposition text declares: each `# TYPE` name, with `_bucket`/`_sum`/`_count` for histograms. */
export function exposedMetricNames(exposition: string): Set<string> {
  const names = new Set<string>();
  for (const match of exposition.matchAll(/^# TYPE (\S+) (\w+)$/gm)) {
    const [, name, type] = match;
    names.add(name!);
    if (type === 'histogram' || type === 'summary') for (const suffix of ['_bucket', '_sum', '_count']) names.add(`${name}${suffix}`);
  }
  return names;
}
