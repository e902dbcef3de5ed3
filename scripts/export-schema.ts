/** Writes docs/export.schema.json: the JSON Schema of `export --format json`, generated from its zod schema. */
import { writeFileSync } from 'node:fs';
import { modelDocJsonSchema } from '../pipelines/report/export/model-doc.js';

writeFileSync('docs/export.schema.json', `${JSON.stringify(modelDocJsonSchema(), null, 2)}\n`);
