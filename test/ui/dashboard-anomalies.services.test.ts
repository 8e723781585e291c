import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Incident } from '../../src/sentinel/anomaly/incident.js';
import type { Remediation } from '../../src/sentinel/anomaly/remediation-engine.js';
import type { SubjectInfo } from '../../src/sentinel/anomaly/series-aggregator.js';
import type { SeriesPoint } from '../../src/sentinel/anomaly/series.js';
import type { MockProvider } from '../mock-providers/mock-provider.js';
import { startOpenAIMock } from '../mock-providers/openai-mock.js';
import { startTestGateway, testMasterKey, type TestGateway } from '../support/test-gateway.js';
import { admin } from './dashboard-fixture.js';

// The dashboard's Anomalies pages in a real browser (Debian's Chromium driven by playwright-core) against a real
// gateway with anomaly detection on. The incident is raised by the gateway's own anomaly monitor, fed closed
// buckets of an error-rate series (what the sentinel feeds it from live traffic, but in simulated time, so the
// test never waits on the wall clock), and handed to the gateway's own remediation engine with the default
// policies: opening the circuit of a model's last deployment is critical, so it waits for a person.

const screenshots = resolve('test-artifacts/ui');
const bucketMs = 1_000;
let upstream: MockProvider;
let gateway: TestGateway;
let browser: Browser;
let directory: string;
let incident: Incident;
let remediation: Remediation;
/** A key of an organisation-wide viewer: it may read anomalies but not act on them. */
let readerSecret: string;

type AnswerOf<T> = { object: 'list'; data: T[] };

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-web-'));
  await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'error', build: { outDir: directory, emptyOutDir: true } });
  upstream = await startOpenAIMock();
  gateway = await startTestGateway({
    providers: [{ name: 'flaky', kind: 'openai', apiKey: 'sk-upstream', baseUrl: upstream.baseUrl }],
    models: [{ name: 'flaky-model', deployments: [{ provider: 'flaky', model: 'gpt-4o-mini', id: 'flaky-main' }] }],
    anomaly: { enabled: true, detector: { bucketMs, warmupBuckets: 10 } },
    dashboard: { directory },
  });
  await seedIncident();
  readerSecret = await organisationReader();
  mkdirSync(screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await gateway?.stop();
  await upstream?.close();
  rmSync(directory, { recursive: true, force: true });
});

/** Forty normal buckets of `flaky-main` (1 % errors), then two in which 60 % of its calls fail with `upstream_error`. */
async function seedIncident(): Promise<void> {
  const anomaly = gateway.running.anomaly;
  if (anomaly === undefined) throw new Error('anomaly detection is not on');
  const subjects = new Map<string, SubjectInfo>([['deployment|flaky-main', { dimension: 'deployment', subject: 'flaky-main', provider: 'flaky', model: 'gpt-4o-mini' }]]);
  const start = Math.floor(Date.now() / bucketMs) * bucketMs - 60 * bucketMs;
  const bucket = (index: number, errors: number): SeriesPoint[] => {
    const bucketStart = start + index * bucketMs;
    const normal = index % 4 === 0 ? 1 : 0;
    return [
      { series: 'error_rate|deployment|flaky-main', bucketStart, value: (normal + errors) / 100, samples: 100 },
      { series: 'error_rate|deployment|flaky-main|upstream_error', bucketStart, value: (normal + errors) / 100, samples: 100 },
    ];
  };
  for (let index = 0; index < 42; index += 1) {
    const bucketStart = start + index * bucketMs;
    // The sentinel's own step for each closed bucket: the monitor judges it, remediation reacts to what changed.
    for (const change of anomaly.sentinel.monitor.observeBucket(bucketStart, bucket(index, index >= 40 ? 60 : 0), subjects)) await anomaly.remediation.handle(change, bucketStart + bucketMs);
  }
  const incidents = await admin<AnswerOf<Incident>>(gateway, 'GET', '/anomalies');
  const remediations = await admin<AnswerOf<Remediation>>(gateway, 'GET', '/anomalies/remediations');
  expect(incidents.body.data).toHaveLength(1);
  incident = incidents.body.data[0]!;
  expect(incident).toMatchObject({ dimension: 'deployment', subject: 'flaky-main', severity: 'critical', state: 'open', hint: { dimension: 'error_code', value: 'upstream_error' } });
  remediation = remediations.body.data.find((each) => each.incidentId === incident.id)!;
  expect(remediation).toMatchObject({ state: 'pending-approval', action: { kind: 'open-circuit', deploymentId: 'flaky-main' } });
}

/** A service account with the viewer role in the whole organisation, and a key it owns that may call the admin API. */
async function organisationReader(): Promise<string> {
  const created = async <T,>(path: string, body: unknown): Promise<T> => {
    const answer = await admin<T>(gateway, 'POST', path, body);
    if (answer.status !== 201) throw new Error(`POST ${path}: ${answer.status} ${JSON.stringify(answer.body)}`);
    return answer.body;
  };
  const workspace = await created<{ id: string }>('/workspaces', { organisationId: 'org_default', name: 'operations' });
  const account = await created<{ id: string }>('/service-accounts', { organisationId: 'org_default', name: 'on-call-dashboard' });
  await created('/role-bindings', { subject: { kind: 'service-account', id: account.id }, role: 'viewer', organisationId: 'org_default' });
  const key = await created<{ secret: string }>('/keys', { workspaceId: workspace.id, name: 'on-call', role: 'viewer', owner: { kind: 'service-account', id: account.id }, allowedRoutes: ['/admin/v1'] });
  return key.secret;
}

async function logIn(credential: string): Promise<Page> {
  const page = await (await browser.newContext({ viewport: { width: 1400, height: 1000 } })).newPage();
  await page.goto(`${gateway.url}/ui`);
  await page.getByLabel('Admin key').fill(credential);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Overview' }).waitFor();
  return page;
}

async function openIncident(page: Page): Promise<void> {
  await page.getByRole('link', { name: 'Anomalies' }).click();
  await page.getByTestId('incidents').waitFor();
  await page.getByTestId(`incident-${incident.id}`).getByRole('link').click();
  await page.getByTestId('root-cause').waitFor();
}

async function remediationNow(): Promise<Remediation | undefined> {
  const answer = await admin<AnswerOf<Remediation>>(gateway, 'GET', '/anomalies/remediations');
  return answer.body.data.find((each) => each.id === remediation.id);
}

describe('the Anomalies pages in Chromium', () => {
  it('lists the incident with its subject, severity, series and hint, open and awaiting approval', async () => {
    const page = await logIn(testMasterKey);
    await page.getByRole('link', { name: 'Anomalies' }).click();
    const row = page.getByTestId(`incident-${incident.id}`);
    await row.waitFor();
    const text = await row.textContent();
    for (const expected of ['open', 'awaiting approval', 'critical', 'deployment flaky-main (flaky, gpt-4o-mini)', 'error rate', incident.hint.summary]) expect(text).toContain(expected);
    await page.screenshot({ path: join(screenshots, 'anomalies.png'), fullPage: true });
    await page.getByLabel('Incident state').selectOption('cleared');
    await expect.poll(() => page.getByTestId(`incident-${incident.id}`).count()).toBe(0);
    await page.getByLabel('Incident state').selectOption('open');
    await page.getByTestId(`incident-${incident.id}`).waitFor();
  });

  it('shows a reader the evidence, and says plainly that it may not approve', async () => {
    const page = await logIn(readerSecret);
    await openIncident(page);
    expect(await page.getByTestId('root-cause').textContent()).toContain(incident.hint.summary);
    // One chart per series of evidence, each with the value, the baseline and the shaded band.
    const charts = page.locator('figure.chart');
    expect(await charts.count()).toBe(incident.evidence.length);
    expect(await charts.first().locator('path.band').count()).toBeGreaterThanOrEqual(1);
    await page.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => page.getByTestId('action-error').textContent()).toContain('403');
    expect(await page.getByTestId('action-error').textContent()).toContain('only the master key may act');
    expect(await page.getByRole('button', { name: 'Approve' }).count()).toBe(0);
    expect((await remediationNow())?.state).toBe('pending-approval');
  });

  it('lets the master key approve the pending action, which the gateway then applies', async () => {
    const page = await logIn(testMasterKey);
    await openIncident(page);
    const chart = page.locator('figure.chart').first();
    expect(await chart.getAttribute('aria-label')).toBe('error rate');
    expect(await chart.locator('figcaption').textContent()).toContain('normal band');
    const last = incident.evidence[0]!.points.at(-1)!;
    expect(last.value).toBeGreaterThan(last.upper);
    const row = page.getByTestId(`remediation-${remediation.id}`);
    expect(await row.textContent()).toContain('open the circuit of deployment flaky-main');
    expect(await row.textContent()).toContain('the last one able to serve its model');
    await page.screenshot({ path: join(screenshots, 'anomaly-detail.png'), fullPage: true });

    await row.getByRole('button', { name: 'Approve' }).click();
    await expect.poll(() => row.getByTestId('remediation-state').textContent()).toBe('active');
    expect(await row.textContent()).toContain('approved by master');
    const approved = await remediationNow();
    expect(approved).toMatchObject({ state: 'active', decidedBy: expect.stringMatching(/^master:/) });
    const deployments = await admin<AnswerOf<{ deploymentId: string; state: string }>>(gateway, 'GET', '/deployments');
    expect(deployments.body.data.find((each) => each.deploymentId === 'flaky-main')?.state).toBe('open');
    expect(await row.getByRole('button', { name: 'Approve' }).count()).toBe(0);
  });

  it('shows the detector model versions and rolls back to the previous one', async () => {
    const first = await admin<{ id: string; version: number }>(gateway, 'POST', '/anomalies/models/retrain');
    const second = await admin<{ id: string; version: number; status: string }>(gateway, 'POST', '/anomalies/models/retrain');
    expect(second.body.status).toBe('active');
    const page = await logIn(testMasterKey);
    await page.getByRole('link', { name: 'Anomalies' }).click();
    await expect.poll(() => page.getByTestId('active-model').textContent()).toContain(`version ${second.body.version}`);
    await page.getByRole('button', { name: 'Roll back' }).click();
    await expect.poll(() => page.getByTestId('active-model').textContent()).toContain(`version ${first.body.version}`);
    const versions = await admin<AnswerOf<{ id: string; status: string }>>(gateway, 'GET', '/anomalies/models');
    expect(versions.body.data.find((each) => each.status === 'active')?.id).toBe(first.body.id);
  });
});
