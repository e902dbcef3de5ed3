/** docs/export.schema.json is what zod 4 generates from the json export's schema (run scripts/export-schema.ts after changing it). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { modelDocJsonSchema } from '../pipelines/report/export/model-doc.js';

describe('export JSON Schema', () => {
  it('the committed schema is the generated one', () => {
    expect(JSON.parse(readFileSync('docs/export.schema.json', 'utf8'))).toEqual(modelDocJsonSchema());
  });
});
