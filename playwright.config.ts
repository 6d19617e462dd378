import { defineConfig } from '@playwright/test';

export default defineConfig({
  projects: [
    // The built renderer in Debian's Chromium, the real core behind the harness (DESIGN.md §3, §6).
    { name: 'e2e', testDir: 'tests/e2e', testMatch: '**/*.e2e.ts' },
    // The real desktop app through Playwright's _electron, where an Electron binary exists; skipped elsewhere.
    { name: 'electron', testDir: 'tests/electron', testMatch: '**/*.electron.ts' },
  ],
  outputDir: 'test-results/e2e',
  timeout: 90_000,
  expect: { timeout: 15_000 },
  workers: 1,
  fullyParallel: false,
  reporter: [['list']],
  forbidOnly: !!process.env.CI,
});
