// @ts-check
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const nodeBuiltins = ['node:*', 'fs', 'path', 'os', 'child_process', 'http', 'https', 'net', 'crypto', 'stream', 'url', 'util', 'worker_threads', 'zlib'];
const uiPackages = ['electron', 'react', 'react-dom', 'react/*', 'react-dom/*', '@xyflow/react', '@xyflow/react/*', 'monaco-editor', 'monaco-editor/*', '@monaco-editor/react'];

/** DESIGN.md's dependency directions, as lint rules: a broken direction fails CI. */
const layerRules = [
  {
    files: ['src/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: uiPackages.filter((p) => !p.includes('*')).map((name) => ({ name, message: 'src/ (the engine) never imports electron or UI packages.' })),
        patterns: [
          { group: ['**/main/**', '**/renderer/**', '../main', '../renderer'], message: 'src/ never imports main/ or renderer/.' },
          { group: uiPackages.filter((p) => p.includes('*')), message: 'src/ (the engine) never imports electron or UI packages.' },
        ],
      }],
    },
  },
  {
    files: ['src/model/**/*.ts', 'src/contract/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins.filter((p) => !p.includes('*')), ...uiPackages.filter((p) => !p.includes('*'))].map((name) => ({ name, message: 'src/model and src/contract are isomorphic: no Node or UI modules.' })),
        patterns: [
          { group: ['node:*'], message: 'src/model and src/contract are isomorphic: no Node modules.' },
          { group: ['../*', '!../model', '!../model/*', '!../contract', '!../contract/*'], message: 'src/model and src/contract import only each other.' },
        ],
      }],
    },
  },
  {
    files: ['renderer/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': ['error', {
        paths: [...nodeBuiltins.filter((p) => !p.includes('*')), 'electron'].map((name) => ({ name, message: 'The renderer reaches the engine only through the studio API.' })),
        patterns: [
          { group: ['node:*'], message: 'The renderer reaches the engine only through the studio API.' },
          { group: ['**/main/**', '../main', '../../main'], message: 'The renderer never imports main/.' },
          { group: ['**/src/*', '!**/src/contract', '!**/src/contract/**', '!**/src/model', '!**/src/model/**'], message: 'The renderer imports only src/contract and src/model.' },
        ],
      }],
    },
  },
];

export default tseslint.config(
  { ignores: ['node_modules/**', 'out/**', 'dist/**', 'coverage/**', '.tmp/**', 'test/fixtures/**'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { console: 'readonly', process: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', window: 'readonly', document: 'readonly', globalThis: 'readonly', Buffer: 'readonly', AbortController: 'readonly', fetch: 'readonly', performance: 'readonly', setInterval: 'readonly', clearInterval: 'readonly', self: 'readonly', localStorage: 'readonly', navigator: 'readonly' } },
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none' }],
      'no-empty': ['error', { allowEmptyCatch: true }],
    },
  },
  ...layerRules,
);
