import { defineConfig } from 'drizzle-kit';

// `npm run db:generate` writes a new SQL migration into src/storage/migrations after a table
// changes; migrations run at start-up on both the embedded database and PostgreSQL.
export default defineConfig({
  dialect: 'postgresql',
  schema: './src/capabilities/*/tables.ts',
  out: './src/storage/migrations',
  casing: 'snake_case',
});
