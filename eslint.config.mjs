import js from '@eslint/js';
import { tsImport } from 'tsx/esm/api';
import tseslint from 'typescript-eslint';

// The case logic every case on a worker shares: workflows/logic.ts and all it imports.
const { caseLogicFiles } = await tsImport('./tools/importGraph.ts', import.meta.url);

/** The project's folders by layer; a folder may import only from earlier ones. */
const LAYERS = [
  ['validation'],
  ['calendar'],
  ['machines'],
  ['contract', 'security', 'reports'],
  ['activities', 'workflows', 'client', 'auth', 'config'],
  // Who may see and do what: below both doors, so the API and the workspace check the same rules.
  ['access'],
  ['worker', 'api', 'web'],
  ['service', 'cluster', 'tools', 'scripts', 'bench'],
];
/** What a layer's code must not import, besides the layers above it. */
const EXTRA = {
  machines: ['@temporalio/*', 'node:*', 'fs', 'crypto'],
  calendar: ['@temporalio/*', 'node:*', 'fs', 'crypto'],
  // Workflow code runs in Temporal's sandbox: no I/O, and activities only by their types.
  workflows: ['node:*', 'fs', 'crypto', 'http', '**/activities/*', '!**/activities/types', '**/security/*'],
};
/** What pure code must not call: the clock, the machine's time zone, randomness. */
const IMPURE = [
  ["CallExpression[callee.object.name='Date'][callee.property.name='now']", 'Date.now()'],
  ["NewExpression[callee.name='Date'][arguments.length=0]", 'new Date()'],
  ["CallExpression[callee.name='Date']", 'Date()'],
  [
    "CallExpression[callee.object.name='DateTime'][callee.property.name=/^(now|local)$/]",
    'DateTime.now() or local()',
  ],
  ["CallExpression[callee.object.name='Math'][callee.property.name='random']", 'Math.random()'],
].map(([selector, call]) => ({
  selector,
  message: `The case logic is pure: no ${call}; time comes in on events, and nothing is random.`,
}));

/** Siblings that must not depend on each other either. */
const APART = {
  activities: ['workflows', 'client'],
  workflows: ['client', 'auth', 'config'],
  client: ['workflows', 'activities'],
  // The API and the workspace are two doors onto the same rules: service/ composes them.
  web: ['api'],
  api: ['web'],
};

function layerRules() {
  return LAYERS.slice(0, -1).flatMap((layer, i) =>
    layer.map((folder) => {
      const higher = [...LAYERS.slice(i + 1).flat(), ...(APART[folder] ?? [])];
      const group = higher.flatMap((f) =>
        [1, 2, 3].flatMap((d) => ['../'.repeat(d) + f, `${'../'.repeat(d)}${f}/*`]),
      );
      return {
        files: [`${folder}/**/*.ts`],
        ignores: ['**/*.test.ts'],
        rules: {
          '@typescript-eslint/no-restricted-imports': [
            'error',
            {
              patterns: [
                {
                  group,
                  message: `${folder}/ is below ${higher.join(', ')}: move what it needs down (contract/ holds the shared shapes).`,
                },
                ...(EXTRA[folder] ? [{ group: EXTRA[folder], message: `not in ${folder}/` }] : []),
              ],
            },
          ],
        },
      };
    }),
  );
}

export default tseslint.config(
  { ignores: ['node_modules/', 'data/', 'coverage/', '**/*.mjs', 'jest.config.js', 'test/support/*.js'] },
  {
    // The workspace's enhancements run in the browser as modules.
    files: ['web/static/**/*.js'],
    ...js.configs.recommended,
    languageOptions: {
      sourceType: 'module',
      globals: { document: 'readonly', CSS: 'readonly', Chart: 'readonly' },
    },
  },
  ...tseslint.configs.recommendedTypeChecked.map((c) => ({ ...c, files: ['**/*.ts'] })),
  {
    files: ['**/*.ts'],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      // An async hook that only throws is how Fastify and Temporal handlers refuse.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_' }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true }],
    },
  },
  // Layers, lowest first: each may import only from layers below it (type-only imports of a
  // higher layer's contract are not needed: the shared shapes live in contract/).
  ...layerRules(),
  {
    // The machines, the calendar and the whole case logic are pure: the same answer on every
    // worker and every replay.
    files: ['machines/**/*.ts', 'calendar/**/*.ts', ...caseLogicFiles()],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': ['error', ...IMPURE],
    },
  },
  {
    // Tests probe machine snapshots whose context is loosely typed.
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
);
