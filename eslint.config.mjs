// Flat config: typescript-eslint's recommended rules over every TypeScript source, plus the one
// architectural rule that matters most here — engine/ never learns who drives it.
import js from '@eslint/js';
import tseslint from 'typescript-eslint';

const NO_EVAL = [
  { selector: "CallExpression[callee.name='eval']", message: 'No eval: interpreted code must only touch simulated memory.' },
  { selector: "NewExpression[callee.name='Function']", message: 'No new Function: interpreted code must only touch simulated memory.' },
];

export default tseslint.config(
  { ignores: ['dist/**', 'node_modules/**', 'test/e2e/artifacts/**', '.e2e-cache/**', '*.vsix'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    files: ['**/*.ts'],
    rules: {
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/no-explicit-any': 'off',
      'no-constant-condition': ['error', { checkLoops: false }],
      // Simulated threads run generators; a routine that may block is a generator even on paths
      // that happen not to yield (docs/architecture.md), so a yield-less generator is normal here.
      'require-yield': 'off',
      'no-restricted-syntax': ['error', ...NO_EVAL],
    },
  },
  {
    files: ['engine/**/*.ts'],
    rules: {
      // V8 allocates a function written directly on the right of a property assignment in the old
      // generation (it expects a method); made per run, it keeps the dead run alive through every
      // young-generation collection until a full one (docs/architecture.md, "Hooks are objects").
      'no-restricted-syntax': ['error', ...NO_EVAL, {
        selector: "AssignmentExpression[left.type='MemberExpression'] > :matches(ArrowFunctionExpression, FunctionExpression).right",
        message: 'Do not assign a function expression to a property in engine/: hand over an object with a method, or bind the function to a local first (docs/architecture.md, "Hooks are objects").',
      }],
      'no-restricted-imports': ['error', {
        patterns: [
          { group: ['vscode', '@vscode/*', 'vscode-languageserver*', 'vscode-languageclient*', 'vscode-jsonrpc*'], message: 'engine/ stays pure: no editor or protocol packages.' },
          { group: ['**/extension/**'], message: 'Arrows point extension -> engine, never back.' },
        ],
      }],
    },
  },
  {
    // The debug adapter is its own process: it translates DAP onto the engine's Debuggee and
    // borrows nothing from the other front ends.
    files: ['extension/debug/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/cli/**', '**/client/**', '**/server/**'], message: 'extension/debug talks to the engine only (shared helpers live in extension/shared).' }],
      }],
    },
  },
  {
    // dist/extension.js holds only the client: the engine runs in the adapter, server and CLI processes.
    files: ['extension/client/**/*.ts'],
    rules: {
      'no-restricted-imports': ['error', {
        patterns: [{ group: ['**/engine', '**/engine/**', '**/debug/**', '**/server/**', '**/cli/**'], message: 'The extension host runs only the client; start the engine in its own process.' }],
      }],
    },
  },
  {
    // The timeline webview is a browser page: it reads the engine's timeline types and IRQL names,
    // and runs nothing else of the engine or of Node.
    files: ['extension/webview/**/*.ts'],
    rules: {
      '@typescript-eslint/no-restricted-imports': ['error', {
        patterns: [
          { regex: '/engine/(?!kernel/irql$)', allowTypeImports: true, message: 'The webview takes only types (and IRQL names) from the engine; its data comes from the host.' },
          { group: ['vscode', 'node:*', '**/client/**', '**/debug/**', '**/server/**', '**/cli/**'], message: 'The webview is a browser page: no editor API, no Node, no other front end.' },
        ],
      }],
    },
  },
  {
    files: ['scripts/**/*.mjs', 'eslint.config.mjs'],
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly' } },
  },
);
