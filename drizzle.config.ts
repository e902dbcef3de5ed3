import { defineConfig } from 'drizzle-kit';

export default defineConfig({
  schema: './schema/tables.ts',
  out: './migrations',
  dialect: 'postgresql',
});
