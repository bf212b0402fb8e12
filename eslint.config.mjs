// @ts-check
import eslint from '@eslint/js';
import tseslint from 'typescript-eslint';
import { builtinModules } from 'node:module';

/** Node's own modules, which workflow code (replayed in a sandbox) must not import. */
const NODE_BUILTINS = builtinModules.filter((name) => !name.startsWith('_'));

export default tseslint.config(
  {
    ignores: [
      'node_modules/',
      'dist/',
      'data/',
      'coverage/',
      'test/.artifacts/',
      'db/migrations/',
      'web/dist/',
      'web/src/api/schema.d.ts',
      'bin/',
      '*.config.js',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.recommended,
  {
    // Type-aware rules read the TypeScript project (tsconfig.json) through the project service.
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      // A promise nobody awaits hides its failure: await it, or `void` it with a comment saying why.
      '@typescript-eslint/no-floating-promises': 'error',
    },
  },
  {
    rules: {
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
    },
  },
  {
    // Workflow code is replayed: no Node APIs, no I/O, no clocks, no randomness outside the SDK.
    // A process's declaration and the registry of declarations are bundled with it.
    files: ['workflows/**/*.ts', 'processes/**/*.process.ts', 'processes/declarations.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            {
              // At any depth: workflows/steps/* reaches the database as ../../db/client.
              group: [
                'node:*',
                ...NODE_BUILTINS,
                'pg',
                'drizzle-orm',
                'drizzle-orm/*',
                'ioredis',
                'bullmq',
                '**/db',
                '**/db/**',
                '**/api',
                '**/api/**',
                // Activity contracts live in workflows/contracts/: nothing under activities/ is workflow code.
                '**/activities',
                '**/activities/**',
                // A process's API half (request schemas, resolver, module) stays out of the bundle.
                '@nestjs/*',
                'class-validator',
                'class-transformer',
                '**/*.schemas',
                '**/*.resolver',
                '**/*.module',
                '**/modules',
                '**/process-module',
              ],
              message: 'Workflow code must stay deterministic: no I/O imports (activity contracts are in workflows/contracts/, imported with `import type`).',
            },
          ],
        },
      ],
      'no-restricted-globals': ['error', { name: 'setTimeout', message: 'Use sleep() from @temporalio/workflow.' }],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'Use the workflow clock via the SDK.' },
        { object: 'Math', property: 'random', message: 'Use uuid4() from @temporalio/workflow.' },
      ],
    },
  },
);
