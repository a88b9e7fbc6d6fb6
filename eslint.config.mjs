import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['dist/', 'dist-bench/', 'node_modules/', 'data/', 'coverage/', 'jest.config.js', 'jest.e2e.config.js', 'eslint.config.mjs', 'e2e-artifacts/'] },
  js.configs.recommended,
  // Type-aware: catches floating and misused promises, unsafe `any` flows and needless assertions.
  ...tseslint.configs.recommendedTypeChecked,
  {
    // Plain-JavaScript scripts run by npm without a build (the bundle size after build:web) have no tsconfig.
    languageOptions: { parserOptions: { projectService: { allowDefaultProject: ['scripts/*.mjs'] }, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      // Ports are async by contract; in-memory adapters and fakes that implement them have nothing to await.
      '@typescript-eslint/require-await': 'off',
    },
  },
  {
    files: ['tests/**/*.ts'],
    // Jest's asymmetric matchers (expect.any, expect.objectContaining) are typed `any` by @types/jest.
    rules: { '@typescript-eslint/no-unsafe-assignment': 'off' },
  },
);
