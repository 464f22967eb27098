import { defineConfig } from 'vitest/config';

// Unit tests (next to the code, src/** and web/src/**) run once; integration tests (test/**) run against
// both databases: the embedded one and the PostgreSQL server (TEST_DATABASE_URL, default the
// local server's "test" database, in which each test server makes its own database).
export default defineConfig({
  test: {
    testTimeout: 30_000,
    hookTimeout: 60_000,
    projects: [
      {
        extends: true,
        test: { name: 'embedded', include: ['src/**/*.test.ts', 'web/src/**/*.test.ts', 'test/**/*.test.ts'], env: { TEST_DB: 'embedded' } },
      },
      {
        extends: true,
        test: { name: 'postgres', include: ['test/**/*.test.ts'], env: { TEST_DB: 'postgres' } },
      },
    ],
  },
});
