// @ts-check
/**
 * ESLint (flat config): a few rules about where code may reach, not about style.
 * - Browser code (src/client) imports no Node builtin (`node:fs`, `fs`, `path`, …). This rule
 *   sees each file's own imports; scripts/lint.ts also bundles every browser entry for the
 *   browser with esbuild, which follows every import (src/lib modules and packages) and fails
 *   on any Node builtin reached that way.
 * - The domain (src/lib) is plain TypeScript: no Astro imports (GUIDE §5).
 * - No unused imports or variables in a file. Exports nobody imports across the project
 *   (.astro, .mdx, scripts and tests counted) are knip's job (knip.json): ESLint 10 has no
 *   rule that can see other files (import-x/no-unused-modules is a no-op without the
 *   FileEnumerator API ESLint 10 removed).
 */
import { builtinModules } from 'node:module';
import tseslint from 'typescript-eslint';

const NODE_BUILTINS = [...new Set(builtinModules.map((m) => m.replace(/^node:/, '')))];

export default tseslint.config(
  { ignores: ['dist/', 'node_modules/', '.astro/', 'tmp/', 'tests/fixtures/', '**/*.astro', '**/*.mdx'] },
  {
    files: ['**/*.{ts,tsx,js,mjs}'],
    languageOptions: { parser: tseslint.parser, sourceType: 'module' },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    plugins: { '@typescript-eslint': tseslint.plugin },
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', caughtErrors: 'none', ignoreRestSiblings: true }],
    },
  },
  {
    files: ['src/client/**/*.{ts,tsx}'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          paths: NODE_BUILTINS.map((name) => ({ name, message: '浏览器代码（src/client）不能导入 Node 内置模块：它在浏览器里不存在' })),
          patterns: [{ group: ['node:*'], message: '浏览器代码（src/client）不能导入 Node 内置模块：它在浏览器里不存在' }],
        },
      ],
    },
  },
  {
    files: ['src/lib/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', { patterns: [{ group: ['astro', 'astro:*', 'astro/*'], message: 'src/lib 是纯 TypeScript 的领域代码，不导入 Astro 的运行时和虚拟模块（页面经 src/site-data.ts 取数据）' }] }],
    },
  },
);
