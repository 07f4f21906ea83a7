import js from '@eslint/js';
import tseslint from 'typescript-eslint';

/** The project's folders by layer; a folder may import only from earlier ones. */
const LAYERS = [
  ['validation'],
  ['calendar'],
  ['machines'],
  ['contract', 'security', 'reports'],
  ['activities', 'workflows', 'client', 'auth', 'config'],
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
/** Siblings that must not depend on each other either. */
const APART = {
  activities: ['workflows', 'client'],
  workflows: ['client', 'auth', 'config'],
  client: ['workflows', 'activities'],
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
    files: ['machines/**/*.ts', 'calendar/**/*.ts'],
    ignores: ['**/*.test.ts'],
    rules: {
      'no-restricted-syntax': [
        'error',
        {
          selector: "CallExpression[callee.object.name='Date'][callee.property.name='now']",
          message: 'Machines are pure: time comes in on events.',
        },
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'Machines are pure: time comes in on events.',
        },
      ],
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
