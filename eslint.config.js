// ESLint flat config: type-aware TypeScript everywhere, Svelte in the renderer, and the process
// boundaries of DESIGN.md enforced with no-restricted-imports.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';
import svelte from 'eslint-plugin-svelte';
import globals from 'globals';
import svelteConfig from './renderer/svelte.config.js';

const nodeBuiltins = ['node:*', 'fs', 'path', 'child_process', 'os', 'net', 'events', 'stream'];
const corePatterns = [
  {
    group: ['electron', 'electron-store', '**/shell/**'],
    message: 'main/core runs under plain Node: no electron.',
  },
  {
    group: ['**/preload/**', '**/renderer/**'],
    message:
      'main/core imports neither the preload nor the renderer (the contract is in contract/).',
  },
];

export default tseslint.config(
  { ignores: ['out/', 'dist/', 'node_modules/', 'test/artifacts/', 'bench-results/'] },
  js.configs.recommended,
  ...tseslint.configs.recommendedTypeChecked,
  ...svelte.configs['flat/recommended'],
  {
    languageOptions: {
      parserOptions: {
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
        extraFileExtensions: ['.svelte'],
      },
    },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // A literal that is not a word for people (Restart=, .service) is written {'Restart='} on
      // purpose: test/unit/i18n-pages.test.ts passes expressions and fails bare text, so the
      // mustache marks it as deliberately untranslated.
      'svelte/no-useless-mustaches': 'off',
      '@typescript-eslint/no-explicit-any': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_' }],
      'no-empty': ['error', { allowEmptyCatch: false }],
    },
  },
  {
    files: ['**/*.svelte', '**/*.svelte.ts'],
    languageOptions: {
      parserOptions: { parser: tseslint.parser, svelteConfig },
    },
  },
  {
    files: ['main/**/*.ts', 'test/**/*.ts', 'scripts/**/*.ts', 'bin/**/*.js', '*.config.{js,ts}'],
    languageOptions: { globals: { ...globals.node } },
  },
  {
    files: ['renderer/**/*'],
    languageOptions: { globals: { ...globals.browser } },
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The renderer is sandboxed: use the preload API.' },
            {
              group: ['electron', '**/main/**'],
              message: 'The renderer talks to main only through the preload API.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['main/core/**/*.ts', 'main/cli.ts'],
    rules: { 'no-restricted-imports': ['error', { patterns: corePatterns }] },
  },
  {
    // Core services take their types from the contract or from each other; only core/api maps
    // channels onto services, and only the assembly (app.ts) hands services to it.
    files: ['main/core/**/*.ts'],
    ignores: ['main/core/api/**', 'main/core/app.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            ...corePatterns,
            { group: ['**/api/*'], message: 'A core service does not import core/api.' },
          ],
        },
      ],
    },
  },
  {
    files: ['preload/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              group: ['**/main/**', '**/renderer/**'],
              message: 'The preload imports the contract (contract/), neither side.',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['contract/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The contract runs in every process: no Node APIs.' },
            {
              group: ['electron', '**/preload/**', '**/renderer/**'],
              message: 'The contract is neutral: it imports no process of its own.',
            },
            {
              regex: '(^|/)main/(?!core/model/)',
              message:
                'The contract imports from main only the core domain types (main/core/model).',
            },
          ],
        },
      ],
    },
  },
  {
    files: ['i18n/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: nodeBuiltins, message: 'The catalogs run in every process: no Node APIs.' },
            {
              group: [
                'electron',
                '**/main/**',
                '**/preload/**',
                '**/renderer/**',
                '**/contract/**',
              ],
              message: 'i18n/ is neutral: it imports i18next and its own catalogs only.',
            },
          ],
        },
      ],
    },
  },
  {
    // Electron's security checklist, kept by lint where code could undo it (docs/SECURITY.md).
    files: ['main/**/*.ts', 'preload/**/*.ts'],
    rules: {
      'no-restricted-properties': [
        'error',
        {
          object: 'shell',
          property: 'openExternal',
          message: 'Never open URLs from app data (checklist 15).',
        },
        { property: 'loadFile', message: 'Pages load from app:// (pageUrl), never file://.' },
        { object: 'ipcRenderer', property: 'sendSync', message: 'Use the invoke contract.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector:
            'Property[key.name=/^(nodeIntegration|nodeIntegrationInWorker|nodeIntegrationInSubFrames|allowRunningInsecureContent|experimentalFeatures|webviewTag)$/][value.value=true]',
          message: 'This weakens the renderer sandbox (docs/SECURITY.md).',
        },
        {
          selector:
            'Property[key.name=/^(contextIsolation|sandbox|webSecurity)$/][value.value=false]',
          message: 'Every window keeps context isolation, the sandbox and web security.',
        },
        {
          selector: 'Property[key.name=/^(enableBlinkFeatures|allowpopups)$/]',
          message: 'Not used by this app (checklist 10, 11).',
        },
      ],
    },
  },
  {
    files: ['**/*.js'],
    ...tseslint.configs.disableTypeChecked,
  },
);
