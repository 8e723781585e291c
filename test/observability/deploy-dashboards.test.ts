import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { errorCatalog } from '../../src/spec/index.js';
import { startTestGateway, type TestGateway } from '../support/test-gateway.js';
import { dashboardExpressions, dashboards, exposedMetricNames, metricNamesOf, ruleGroups } from './deploy-files.js';

// The Grafana dashboards and Prometheus rules under deploy/ against the metric names a real gateway exposes:
// a renamed metric or a typo in a panel fails here, not on an operator's empty chart.

let gateway: TestGateway;
let exposed: Set<string>;

beforeAll(async () => {
  gateway = await startTestGateway();
  const response = await fetch(`${gateway.url}/metrics`);
  exposed = exposedMetricNames(await response.text());
});
afterAll(async () => {
  await gateway?.stop();
});

/** Names the rule files record. */
function recordedNames(): Set<string> {
  return new Set(ruleGroups().flatMap((group) => group.rules.flatMap((rule) => (rule.record === undefined ? [] : [rule.record]))));
}

describe('the /metrics scrape', () => {
  it('declares the request, state and queue metrics even before any traffic', () => {
    for (const name of [
      'switchyard_requests_total',
      'switchyard_tokens_total',
      'switchyard_cost_micros_total',
      'switchyard_prompt_cache_hits_total',
      'switchyard_rate_limit_refusals_total',
      'switchyard_circuit_state',
      'switchyard_write_queue_rows',
      'switchyard_budget_spent_ratio',
      'gen_ai_server_time_to_first_token_seconds_bucket',
    ]) {
      expect(exposed, name).toContain(name);
    }
  });
});

describe('Grafana dashboards (deploy/grafana)', () => {
  const files = dashboards();

  it('are checked by a lexer that finds every metric name and nothing else', () => {
    expect(metricNamesOf('sum by (le, x) (rate(made_up_bucket{a="b",c=~"$var"}[$__rate_interval])) / on() (1 - other:recorded) * 1e6 or vector(0)').sort()).toEqual([
      'made_up_bucket',
      'other:recorded',
    ]);
  });

  it('are valid dashboard models with unique uids and placed panels', () => {
    expect(files.length).toBeGreaterThanOrEqual(5);
    const uids = files.map(({ dashboard }) => dashboard.uid);
    expect(new Set(uids).size).toBe(uids.length);
    for (const { file, dashboard } of files) {
      expect(dashboard.uid, file).toMatch(/^[a-z0-9-]{1,40}$/);
      expect(dashboard.title, file).toMatch(/^Switchyard \//);
      expect(dashboard.schemaVersion, file).toBeGreaterThanOrEqual(36);
      expect(dashboard.templating.list.some((variable) => variable.type === 'datasource'), file).toBe(true);
      const ids = new Set<number>();
      for (const panel of dashboard.panels) {
        expect(ids.has(panel.id), `${file}: panel id ${panel.id}`).toBe(false);
        ids.add(panel.id);
        expect(panel.gridPos, `${file}: ${panel.title}`).toBeDefined();
        expect(panel.gridPos!.x + panel.gridPos!.w, `${file}: ${panel.title}`).toBeLessThanOrEqual(24);
        if (panel.type !== 'row') {
          expect(panel.datasource, `${file}: ${panel.title}`).toEqual({ type: 'prometheus', uid: '${datasource}' });
          expect(panel.targets?.length, `${file}: ${panel.title}`).toBeGreaterThan(0);
        }
      }
    }
  });

  it('query only metrics the gateway exposes or the rules record', () => {
    const known = new Set([...exposed, ...recordedNames()]);
    const unknown: string[] = [];
    let expressions = 0;
    for (const { file, dashboard } of files) {
      for (const { where, expr } of dashboardExpressions(dashboard)) {
        expressions += 1;
        const names = metricNamesOf(expr);
        expect(names.length, `${file} ${where}: ${expr}`).toBeGreaterThan(0);
        for (const name of names) if (!known.has(name)) unknown.push(`${file} ${where}: ${name}`);
      }
    }
    expect(expressions).toBeGreaterThan(30);
    expect(unknown).toEqual([]);
  });
});

describe('Prometheus rules (deploy/prometheus)', () => {
  it('read only exposed metrics, recorded series and the scrape health', () => {
    const known = new Set([...exposed, ...recordedNames(), 'up']);
    const unknown = ruleGroups().flatMap((group) =>
      group.rules.flatMap((rule) => metricNamesOf(rule.expr).filter((name) => !known.has(name)).map((name) => `${group.name} ${rule.record ?? rule.alert}: ${name}`)),
    );
    expect(unknown).toEqual([]);
  });

  it('count exactly the catalog codes with a 5xx status against availability', () => {
    const serverCodes = Object.entries(errorCatalog)
      .filter(([, entry]) => entry.status >= 500)
      .map(([code]) => code)
      .sort();
    const availabilityRules = ruleGroups()
      .flatMap((group) => group.rules)
      .filter((rule) => rule.record?.startsWith('switchyard:slo_availability_errors:') === true);
    expect(availabilityRules.length).toBe(8);
    for (const rule of availabilityRules) {
      const selected = rule.expr.match(/error_type=~"([^"]+)"/)?.[1]?.split('|').sort();
      expect(selected, rule.record).toEqual(serverCodes);
    }
  });

  it('alert on each SLO with the four burn-rate window pairs of a 30-day budget', () => {
    const alerts = ruleGroups().flatMap((group) => group.rules.filter((rule) => rule.alert !== undefined));
    for (const slo of ['availability', 'latency']) {
      const burnAlerts = alerts.filter((rule) => rule.alert!.startsWith(`Switchyard${slo[0]!.toUpperCase()}${slo.slice(1)}BudgetBurn`));
      const pairs = burnAlerts.flatMap((rule) =>
        [...rule.expr.matchAll(/ratio_rate(\w+) > on\(\) \(([\d.]+) \*[^\n]*\n\s*and\n\s*\S+ratio_rate(\w+) > on\(\) \(([\d.]+) \*/g)].map((match) => `${match[1]}/${match[3]}@${match[2]}`),
      );
      expect(pairs.sort(), slo).toEqual(['1d/2h@3', '1h/5m@14.4', '3d/6h@1', '6h/30m@6']);
      for (const rule of burnAlerts) expect(rule.expr, rule.alert).toContain(`switchyard:slo_${slo}:objective`);
    }
  });
});
