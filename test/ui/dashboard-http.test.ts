import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMasterKey } from '../support/test-gateway.js';
import { admin, startDashboardFixture, type DashboardFixture } from './dashboard-fixture.js';

// The dashboard's server side on a real gateway: its static files at /ui (a stand-in build, so this suite
// needs no browser and no vite run), and the data routes it reads, with their authorisation.

let fixture: DashboardFixture;
let build: string;

beforeAll(async () => {
  build = mkdtempSync(join(tmpdir(), 'switchyard-ui-'));
  mkdirSync(join(build, 'assets'));
  writeFileSync(join(build, 'index.html'), '<!doctype html><title>Switchyard</title><script type="module" src="/ui/assets/index-abc123.js"></script>');
  writeFileSync(join(build, 'assets', 'index-abc123.js'), 'console.log("dashboard")');
  writeFileSync(join(build, 'assets', 'index-abc123.css'), 'body{}');
  fixture = await startDashboardFixture({ directory: build });
});
afterAll(async () => {
  await fixture?.stop();
  rmSync(build, { recursive: true, force: true });
});

async function get(path: string): Promise<{ status: number; type: string | null; cache: string | null; text: string }> {
  const response = await fetch(`${fixture.gateway.url}${path}`);
  return { status: response.status, type: response.headers.get('content-type'), cache: response.headers.get('cache-control'), text: await response.text() };
}

describe('the dashboard files at /ui', () => {
  it('serves index.html, never cached, for /ui and for every client route below it', async () => {
    for (const path of ['/ui', '/ui/', '/ui/requests', '/ui/requests/req_123', '/ui/traces/abc']) {
      const answer = await get(path);
      expect(answer, path).toMatchObject({ status: 200, type: 'text/html; charset=utf-8', cache: 'no-cache' });
      expect(answer.text).toContain('<title>Switchyard</title>');
    }
  });

  it('serves hashed assets with their content type, cached for good, and 404 for missing ones', async () => {
    expect(await get('/ui/assets/index-abc123.js')).toMatchObject({ status: 200, type: 'text/javascript; charset=utf-8', cache: 'public, max-age=31536000, immutable', text: 'console.log("dashboard")' });
    expect(await get('/ui/assets/index-abc123.css')).toMatchObject({ status: 200, type: 'text/css; charset=utf-8' });
    expect((await get('/ui/assets/missing.js')).status).toBe(404);
  });

  it('never serves a file outside its directory', async () => {
    writeFileSync(join(build, '..', 'switchyard-ui-secret.txt'), 'TOP-SECRET-CONTENT');
    try {
      for (const path of ['/ui/..%2fswitchyard-ui-secret.txt', '/ui/%2e%2e/switchyard-ui-secret.txt', '/ui/assets/..%2f..%2fswitchyard-ui-secret.txt', '/ui/..%5cswitchyard-ui-secret.txt']) {
        const answer = await get(path);
        expect(answer.text, path).not.toContain('TOP-SECRET-CONTENT');
        expect(answer.status === 404 || answer.type?.startsWith('text/html'), path).toBe(true);
      }
    } finally {
      rmSync(join(build, '..', 'switchyard-ui-secret.txt'), { force: true });
    }
  });
});

interface Overview {
  totals: { requests: number; errors: number; costMicros: number; latencyMs: { p50: number | null }; sampled: number };
  series: Array<{ requests: number }>;
  breakdown: Array<{ value: string | null; requests: number; costMicros: number }>;
  topSpenders: Array<{ value: string | null; costMicros: number }>;
  source: string;
}

describe('GET /admin/v1/analytics/overview', () => {
  it('sums what the ledger holds, broken down as asked', async () => {
    const rows = await fixture.gateway.ledgerRows(1000);
    const now = Date.now();
    const answer = await admin<Overview>(fixture.gateway, 'GET', `/analytics/overview?since=${now - 3_600_000}&until=${now + 60_000}&groupBy=provider`);
    expect(answer.status).toBe(200);
    expect(answer.body.source).toBe('ledger');
    expect(answer.body.totals).toMatchObject({
      requests: rows.length,
      errors: rows.filter((row) => row.status === 'error').length,
      costMicros: rows.reduce((sum, row) => sum + (row.costMicros ?? 0), 0),
      sampled: rows.length,
    });
    expect(answer.body.totals.costMicros).toBeGreaterThan(0);
    expect(answer.body.series.reduce((sum, bucket) => sum + bucket.requests, 0)).toBe(rows.length);
    const byProvider = new Map<string | null, number>();
    for (const row of rows) byProvider.set(row.servedProvider ?? null, (byProvider.get(row.servedProvider ?? null) ?? 0) + 1);
    expect(new Map(answer.body.breakdown.map((line) => [line.value, line.requests]))).toEqual(byProvider);
    expect(answer.body.topSpenders[0].value).toBe(fixture.key.id);
  });

  it('shows a workspace key only its own workspace, and refuses another workspace', async () => {
    const mine = await admin<Overview>(fixture.gateway, 'GET', '/analytics/overview', undefined, fixture.viewer.secret);
    expect(mine.status).toBe(200);
    expect(mine.body.totals.requests).toBe(8);
    const theirs = await admin<Overview>(fixture.gateway, 'GET', '/analytics/overview', undefined, fixture.otherViewer.secret);
    expect(theirs.body.totals.requests).toBe(1);
    const refused = await admin(fixture.gateway, 'GET', `/analytics/overview?workspaceId=${fixture.workspaceId}`, undefined, fixture.otherViewer.secret);
    expect(refused.status).toBe(403);
  });

  it('refuses keys without admin access, unknown keys and bad queries', async () => {
    expect((await admin(fixture.gateway, 'GET', '/analytics/overview', undefined, fixture.key.secret)).status).toBe(403);
    expect((await admin(fixture.gateway, 'GET', '/analytics/overview', undefined, 'sk-sy-unknown')).status).toBe(401);
    const bad = await admin<{ error: { param: string } }>(fixture.gateway, 'GET', '/analytics/overview?groupBy=colour');
    expect(bad.status).toBe(400);
    expect(bad.body.error.param).toBe('groupBy');
    expect((await admin(fixture.gateway, 'GET', '/analytics/overview?since=10&until=5')).status).toBe(400);
  });

  it('answers long ranges from the rollups, by day', async () => {
    const now = Date.now();
    const answer = await admin<Overview>(fixture.gateway, 'GET', `/analytics/overview?since=${now - 7 * 86_400_000}&until=${now}`, undefined, testMasterKey);
    expect(answer.body.source).toBe('rollup');
    expect(answer.body.series.length).toBeGreaterThanOrEqual(7);
    expect(answer.body.totals.requests).toBe((await fixture.gateway.ledgerRows(1000)).length);
  });
});

describe('GET /admin/v1/deployments', () => {
  it('lists every deployment with its circuit state', async () => {
    const answer = await admin<{ data: Array<{ deploymentId: string; state: string; groups: string[]; consecutiveFailures: number }> }>(fixture.gateway, 'GET', '/deployments', undefined, fixture.viewer.secret);
    expect(answer.status).toBe(200);
    expect(answer.body.data.find((deployment) => deployment.deploymentId === 'openai-main')).toMatchObject({ state: 'closed', groups: ['chat-model'] });
    expect(answer.body.data.find((deployment) => deployment.deploymentId === 'flaky-main')).toMatchObject({ state: 'open', groups: ['flaky-model'] });
  });
});
