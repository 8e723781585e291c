import { mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { chromium, type Browser, type Page } from 'playwright-core';
import { build } from 'vite';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { testMasterKey } from '../support/test-gateway.js';
import { admin, startDashboardFixture, type DashboardFixture } from './dashboard-fixture.js';

// The dashboard in a real browser (Debian's Chromium driven by playwright-core), built by vite from web/ and
// served by a real gateway that has real traffic, keys, a team and a budget in it. Screenshots of the main
// pages are kept in test-artifacts/ui/ (gitignored).

const screenshots = resolve('test-artifacts/ui');
let fixture: DashboardFixture;
let browser: Browser;
let directory: string;

beforeAll(async () => {
  directory = mkdtempSync(join(tmpdir(), 'switchyard-web-'));
  await build({ configFile: resolve('web/vite.config.ts'), logLevel: 'error', build: { outDir: directory, emptyOutDir: true } });
  fixture = await startDashboardFixture({ directory });
  mkdirSync(screenshots, { recursive: true });
  browser = await chromium.launch({
    executablePath: '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run'],
  });
}, 120_000);
afterAll(async () => {
  await browser?.close();
  await fixture?.stop();
  rmSync(directory, { recursive: true, force: true });
});

// The dashboard's own money format for amounts of a cent or more.
function dollars(micros: number): string {
  return `$${(micros / 1_000_000).toFixed(2)}`;
}

async function logIn(page: Page, credential: string): Promise<void> {
  await page.goto(`${fixture.gateway.url}/ui`);
  await page.getByLabel('Admin key').fill(credential);
  await page.getByRole('button', { name: 'Sign in' }).click();
  await page.getByRole('link', { name: 'Overview' }).waitFor();
}

async function shoot(page: Page, name: string): Promise<void> {
  await page.screenshot({ path: join(screenshots, `${name}.png`), fullPage: true });
}

describe('the dashboard in Chromium', () => {
  let page: Page;

  beforeAll(async () => {
    page = await (await browser.newContext({ viewport: { width: 1400, height: 900 } })).newPage();
  });

  it('refuses an unknown key, then logs in with the master key and shows the overview of the traffic', async () => {
    await page.goto(`${fixture.gateway.url}/ui`);
    await page.getByLabel('Admin key').fill('sk-sy-not-a-key');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await expect.poll(() => page.getByRole('alert').textContent()).toContain('not known');

    await logIn(page, testMasterKey);
    const rows = await fixture.gateway.ledgerRows(1000);
    const cost = rows.reduce((sum, row) => sum + (row.costMicros ?? 0), 0);
    expect(cost).toBeGreaterThanOrEqual(10_000);
    await expect.poll(() => page.getByTestId('stat-requests').textContent()).toBe(String(rows.length));
    expect(await page.getByTestId('stat-errors').textContent()).toBe(String(rows.filter((row) => row.status === 'error').length));
    expect(await page.getByTestId('stat-cost').textContent()).toBe(dollars(cost));
    expect(await page.locator('figure.chart svg').count()).toBeGreaterThanOrEqual(6);
    await page.getByLabel('Break down by').selectOption('key');
    await expect.poll(() => page.getByTestId('breakdown').textContent()).toContain(fixture.key.id);
    await shoot(page, 'overview');
  });

  it('filters the request explorer and opens a request with its attempts and timings', async () => {
    await page.getByRole('link', { name: 'Requests' }).click();
    await page.getByTestId('requests').waitFor();
    await page.locator('select[name=status]').selectOption('error');
    await page.getByRole('button', { name: 'Apply filters' }).click();
    const errors = (await fixture.gateway.ledgerRows(1000)).filter((row) => row.status === 'error');
    await expect.poll(() => page.locator('[data-testid=requests] tbody tr').count()).toBe(errors.length);
    await shoot(page, 'requests');
    await page.locator('[data-testid=requests] tbody tr a').first().click();
    await page.getByTestId('request-facts').waitFor();
    expect(await page.getByTestId('request-facts').textContent()).toContain('error');
    expect(await page.locator('[data-testid=attempts] tbody tr').count()).toBeGreaterThanOrEqual(1);
    expect(await page.locator('figure.waterfall rect').count()).toBeGreaterThanOrEqual(2);
    await shoot(page, 'request-detail');
  });

  it('shows keys, teams and budgets with the current spend', async () => {
    await page.getByRole('link', { name: 'Keys & budgets' }).click();
    await page.getByLabel('Workspace').selectOption({ label: 'dashboard' });
    await page.getByTestId('budgets').waitFor();
    const budget = await admin<{ state: { spentMicros: number } }>(fixture.gateway, 'GET', `/budgets/${fixture.budgetId}`);
    expect(budget.body.state.spentMicros).toBeGreaterThan(0);
    await expect.poll(() => page.getByTestId('budgets').textContent()).toContain(dollars(budget.body.state.spentMicros));
    expect(await page.getByTestId('budgets').textContent()).toContain('checkout-service');
    expect(await page.getByTestId('keys').textContent()).toContain('checkout-service');
    expect(await page.getByTestId('keys').textContent()).toContain('checkout');
    await shoot(page, 'governance');
  });

  it('shows deployments with their circuit state', async () => {
    await page.getByRole('link', { name: 'Providers' }).click();
    await expect.poll(() => page.getByTestId('circuit-flaky-main').textContent()).toContain('open');
    expect(await page.getByTestId('circuit-openai-main').textContent()).toContain('closed');
    await shoot(page, 'providers');
  });

  it('shows the alerts page (or says the alert API is not there), keeps the login over a reload, and logs out', async () => {
    await page.getByRole('link', { name: 'Alerts' }).click();
    await page.locator('[data-testid=alerts], [data-testid=unavailable]').first().waitFor();
    await shoot(page, 'alerts');
    await page.goto(`${fixture.gateway.url}/ui/providers`);
    await page.getByTestId('deployments').waitFor();
    await page.getByRole('button', { name: 'Log out' }).click();
    await page.getByLabel('Admin key').waitFor();
  });

  it('shows a workspace viewer only its own workspace', async () => {
    const viewerPage = await (await browser.newContext()).newPage();
    await logIn(viewerPage, fixture.viewer.secret);
    const rows = (await fixture.gateway.ledgerRows(1000)).filter((row) => row.workspaceId === fixture.workspaceId);
    await expect.poll(() => viewerPage.getByTestId('stat-requests').textContent()).toBe(String(rows.length));
  });
});
