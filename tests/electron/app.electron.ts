import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { _electron as electron, expect, test } from '@playwright/test';
import { APP_ENTRY, electronAvailability } from './electronApp';

const available = electronAvailability();

test.describe('the real desktop app (Electron)', () => {
  test('starts with the demo project, labels one item by keyboard, and its window is hardened', async () => {
    if ('skip' in available) {
      console.log(`[tests/electron] skipped: ${available.skip}`);
      test.skip(true, available.skip);
      return;
    }
    const userData = mkdtempSync(join(tmpdir(), 'annot-electron-'));
    const app = await electron.launch({
      executablePath: (available as { binary: string }).binary,
      args: [APP_ENTRY],
      env: { ...process.env, ANNOT_USER_DATA: userData },
    });
    try {
      const page = await app.firstWindow();
      // The window's webPreferences, as the page lives them: no Node (nodeIntegration off, sandboxed),
      // an isolated context with only the bridge's two functions, no navigation away from the app.
      expect(await page.evaluate('[typeof require, typeof process, typeof module, typeof Buffer]')).toEqual(['undefined', 'undefined', 'undefined', 'undefined']);
      expect(await page.evaluate('Object.keys(window.workstation).sort()')).toEqual(['invoke', 'on']);
      expect(await page.evaluate('Object.isFrozen(window.workstation) || !Object.getOwnPropertyDescriptor(window, "workstation").writable')).toBe(true);
      const url = page.url();
      await page.evaluate('location.href = "https://example.com/"').catch(() => undefined);
      expect(page.url()).toBe(url);
      const windows = await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length);
      await page.evaluate('window.open("https://example.com/")');
      expect(await app.evaluate(({ BrowserWindow }) => BrowserWindow.getAllWindows().length)).toBe(windows);

      // First start: create a profile, open the demo project, label one item.
      await page.keyboard.type('桌面测试员');
      await page.keyboard.press('Enter');
      await expect(page.getByRole('row', { name: /演示/ })).toBeFocused();
      await page.keyboard.press('Enter');
      await page.keyboard.press('l');
      await expect(page.getByTestId('span-text')).toBeVisible();
      const ord = await page.getByTestId('item-ord').textContent();
      await page.keyboard.press('1');
      await page.keyboard.press('Enter');
      await expect(page.getByTestId('item-ord')).not.toHaveText(ord ?? '');
      await expect(page.getByTestId('labeling-progress')).toContainText('1 / 305');
    } finally {
      await app.close();
      rmSync(userData, { recursive: true, force: true });
    }
  });
});
