// @ts-check
import eslint from '@eslint/js'
import tseslint from 'typescript-eslint'

const NODE_BUILTINS = [
  'node:*',
  'fs',
  'path',
  'os',
  'crypto',
  'http',
  'https',
  'net',
  'tls',
  'stream',
  'buffer',
  'url',
  'util',
  'child_process',
  'process',
]

export default tseslint.config(
  {
    ignores: [
      'scripts/**',
      // The benchmark harness (plain .mjs with JSDoc, its own npm install): `npx tsc -p bench`.
      'bench/**',
      // The runtimes suite: plain .mjs that every runtime runs as is (tests/runtimes/README.md).
      'tests/runtimes/src/**',
      '**/dist/**',
      '**/node_modules/**',
      '**/coverage/**',
      // Scratch output of the test command (reports, the README blocks of tests/packaging).
      '**/.tmp/**',
      // Next.js's build output and the file it generates.
      '**/.next/**',
      'examples/next-app/next-env.d.ts',
      '**/*.config.*',
      'tsup.shared.ts',
      'eslint.config.js',
      'packages/core/test/fixtures/**',
      // Type-checked by tsc under their own module settings (tests/packaging).
      'tests/packaging/consumers/**',
    ],
  },
  eslint.configs.recommended,
  ...tseslint.configs.strictTypeChecked,
  ...tseslint.configs.stylisticTypeChecked,
  {
    languageOptions: {
      // Sources are checked with their package's environment (lib) settings, tests with the test configs.
      parserOptions: {
        project: [
          'packages/*/tsconfig.json',
          'packages/*/tsconfig.test.json',
          'tests/*/tsconfig.json',
          'examples/*/tsconfig.json',
        ],
        tsconfigRootDir: import.meta.dirname,
      },
    },
    rules: {
      '@typescript-eslint/consistent-type-imports': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': 'error',
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/only-throw-error': 'error',
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
      'max-params': ['error', 4],
      // Strict equality everywhere; `== null` is the one idiom kept (null or undefined).
      eqeqeq: ['error', 'always', { null: 'ignore' }],
    },
  },
  {
    // The core is Web-standard only; the browser entry too.
    files: ['packages/core/src/**/*.ts', 'packages/browser/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        { patterns: [{ group: NODE_BUILTINS, message: 'core and browser use Web-standard APIs only.' }] },
      ],
    },
  },
  {
    files: ['packages/core/src/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-globals': [
        'error',
        'window',
        'document',
        'localStorage',
        'sessionStorage',
        'navigator',
        'process',
        'Buffer',
        'global',
        'require',
        '__dirname',
      ],
    },
  },
  {
    files: ['**/*.test.ts', 'tests/**/*.ts', 'packages/*/test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-non-null-assertion': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/non-nullable-type-assertion-style': 'off',
      '@typescript-eslint/no-base-to-string': 'off',
      'max-params': 'off',
    },
  },
)
