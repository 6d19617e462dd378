import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import reactHooks from 'eslint-plugin-react-hooks';
import { builtinModules } from 'node:module';

const nodeBuiltins = [...builtinModules, ...builtinModules.map((m) => `node:${m}`)];

export default tseslint.config(
  { ignores: ['out/**', 'dist/**', 'node_modules/**', 'test-results/**', 'resources/models/**', 'build/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', ignoreRestSiblings: true }],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      'no-restricted-imports': ['error', { paths: [{ name: 'electron', message: 'electron is only for electron/main and electron/preload' }] }],
    },
  },
  {
    files: ['electron/main/**', 'electron/preload/**', 'tests/shell/**', 'tests/electron/**'],
    rules: { 'no-restricted-imports': 'off' },
  },
  {
    files: ['scripts/**/*.mjs', '*.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly' } },
  },
  {
    // Playwright passes fixtures as the first argument; `{}` asks for none.
    files: ['tests/e2e/**'],
    rules: { 'no-empty-pattern': 'off' },
  },
  {
    files: ['renderer/**'],
    plugins: { 'react-hooks': reactHooks },
    rules: {
      ...reactHooks.configs.recommended.rules,
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'the renderer talks to main only through the bridge (src/ipc)' },
            ...nodeBuiltins.map((name) => ({ name, message: 'no Node built-ins in the renderer' })),
          ],
          patterns: [{ group: ['**/electron/**'], message: 'the renderer must not import main-process code' }],
        },
      ],
    },
  },
  {
    files: ['shared/**'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: [
            { name: 'electron', message: 'shared/ imports neither side' },
            ...nodeBuiltins.map((name) => ({ name, message: 'shared/ runs in the renderer too: no Node built-ins' })),
          ],
          patterns: [{ group: ['**/electron/**', '**/renderer/**'], message: 'shared/ imports neither side' }],
        },
      ],
    },
  },
);
