import js from '@eslint/js';
import tseslint from 'typescript-eslint';

export default tseslint.config(
  { ignores: ['node_modules/', 'dist/', 'src/generated/', 'data/', 'coverage/'] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    languageOptions: { globals: { process: 'readonly', console: 'readonly', URL: 'readonly', setTimeout: 'readonly', clearTimeout: 'readonly', Buffer: 'readonly' } },
    rules: {
      'no-console': 'error',
      '@typescript-eslint/no-unused-vars': ['error', { argsIgnorePattern: '^_', varsIgnorePattern: '^_', destructuredArrayIgnorePattern: '^_' }],
    },
  },
  {
    // The domain never knows the transport: Teams, HTTP and cron stay at the doors (README, architecture).
    files: ['src/features/**/*.ts'],
    rules: {
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['botbuilder', 'botbuilder-*', 'botframework-*'], message: 'src/features must not import botbuilder: use the Notifier and plain cards.' },
            { group: ['@microsoft/teams-ai', '@microsoft/teams-ai/*'], message: 'src/features must not import teams-ai.' },
            { group: ['restify', 'restify/*'], message: 'src/features must not import restify.' },
            { group: ['**/bot/**', '**/http/**'], message: 'src/features must not import the bot or http layers.' },
          ],
        },
      ],
    },
  },
  {
    files: ['test/**/*.ts'],
    rules: { 'no-console': 'off', '@typescript-eslint/no-non-null-assertion': 'off' },
  },
);
