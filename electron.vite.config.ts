import { resolve } from 'node:path';
import { defineConfig, externalizeDepsPlugin } from 'electron-vite';
import react from '@vitejs/plugin-react';

export default defineConfig({
  main: {
    plugins: [externalizeDepsPlugin()],
    build: {
      rollupOptions: {
        input: {
          index: resolve(__dirname, 'electron/main/index.ts'),
          'core.worker': resolve(__dirname, 'electron/workers/core.worker.ts'),
          'job.worker': resolve(__dirname, 'electron/workers/job.worker.ts'),
          'model.worker': resolve(__dirname, 'electron/workers/model.worker.ts'),
          'heads.worker': resolve(__dirname, 'electron/workers/heads.worker.ts'),
          'gradientSupervisor.worker': resolve(__dirname, 'electron/workers/gradientSupervisor.worker.ts'),
          'gradient.worker': resolve(__dirname, 'electron/workers/gradient.worker.ts'),
          'reportReader.worker': resolve(__dirname, 'electron/workers/reportReader.worker.ts'),
        },
      },
    },
  },
  preload: {
    plugins: [externalizeDepsPlugin()],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'electron/preload/index.ts') } } },
  },
  renderer: {
    root: resolve(__dirname, 'renderer'),
    plugins: [
      react(),
      {
        // The dev server's React Refresh preamble is an inline script; production keeps the strict policy.
        name: 'dev-csp',
        apply: 'serve',
        transformIndexHtml: (html: string) =>
          html
            .replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
            .replace("connect-src 'self'", "connect-src 'self' ws://localhost:* http://localhost:*"),
      },
    ],
    build: { rollupOptions: { input: { index: resolve(__dirname, 'renderer/index.html') } } },
  },
});
