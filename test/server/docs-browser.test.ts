/**
 * GET /docs in a real browser (Debian's Chromium, as the dashboard tests): Swagger UI renders every
 * operation of the document under the server's Content-Security-Policy, with no CSP violation and
 * no script error.
 */
import { expect, it } from 'vitest';
import { launchBrowser } from '../e2e/harness.js';
import { startServer } from './helpers.js';

it('Swagger UI at /docs renders the operations under the CSP, with no violation', async () => {
  const s = await startServer('pglite');
  const browser = await launchBrowser();
  try {
    const page = await browser.newPage();
    const problems: string[] = [];
    page.on('console', (m) => {
      if (m.type() === 'error' || /Content Security Policy/i.test(m.text())) problems.push(m.text());
    });
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`${s.base}/docs`);
    await page.waitForSelector('.opblock', { timeout: 30_000 });
    const operations = await page.locator('.opblock').count();
    const doc = (await (await fetch(`${s.base}/openapi.json`)).json()) as { paths: Record<string, Record<string, unknown>> };
    expect(operations).toBeGreaterThanOrEqual(Object.values(doc.paths).reduce((n, p) => n + Object.keys(p).length, 0));
    const shown = await page.locator('.opblock-summary-path').allInnerTexts();
    for (const path of Object.keys(doc.paths)) expect(shown.map((x) => x.replace(/\u200b/g, '').trim())).toContain(path);
    expect(problems).toEqual([]);
  } finally {
    await browser.close();
    await s.close();
  }
}, 120_000);
