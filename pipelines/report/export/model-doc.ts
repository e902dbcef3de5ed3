/**
 * modelfacts' own export (`--format json`): one document keyed by model id,
 * model → facts and routes → prices, each with its status, confidence and
 * sources. The zod schema below is the contract; docs/export.schema.json is
 * generated from it (zod 4 `toJSONSchema`).
 */
import { z } from 'zod';
import { FactStatus } from '../../../schema/fact.js';
import { Provenance } from '../../../schema/observation.js';
import { Qualifiers } from '../../../schema/qualifiers.js';
import { Value } from '../../../schema/values.js';
import { byModel, countUnchosen, snapshotOf, type ExportFact, type ExportResult } from './common.js';
import { sourcesOf } from '../../store/rows.js';

const Source = z.object({ sourceId: z.string(), via: z.string().optional(), url: z.string(), value: Value });

const DocFact = z.object({
  attribute: z.string(),
  qualifiers: Qualifiers,
  value: Value.optional().describe('the chosen value; absent when no rule could choose (status needs-review)'),
  status: FactStatus,
  confidence: z.number().min(0).max(1),
  rule: z.string(),
  since: z.string().describe('the ISO week this value has held since'),
  sources: z.array(z.string()).describe('ids of the sources with a candidate'),
  candidates: z
    .array(Source.extend({ provenance: Provenance.optional(), flags: z.array(z.string()) }))
    .describe('every source’s value; with --with-provenance each carries its provenance'),
});

const DocModel = z.object({
  snapshotOf: z.string().optional(),
  facts: z.array(DocFact).describe('model facts without a route (release date, limits, modalities, licence …)'),
  routes: z.record(z.string(), z.object({ facts: z.array(DocFact) })).describe('prices and other facts per provider route'),
});

export const ModelDoc = z
  .object({
    format: z.literal('modelfacts-export/1'),
    week: z.string().describe('the ISO week the facts are as of'),
    generatedAt: z.iso.datetime().describe('ISO 8601 UTC'),
    models: z.record(z.string(), DocModel),
  })
  .describe('modelfacts export: reconciled model facts keyed by canonical model id (creator/slug)');
export type ModelDoc = z.infer<typeof ModelDoc>;

/** The JSON Schema of the document, as docs/export.schema.json holds it. */
export function modelDocJsonSchema(): unknown {
  return z.toJSONSchema(ModelDoc, { target: 'draft-2020-12', reused: 'ref' });
}

function docFact(f: ExportFact, withProvenance: boolean): z.infer<typeof DocFact> {
  return {
    attribute: f.attribute,
    qualifiers: f.qualifiers,
    ...(f.chosen ? { value: f.chosen } : {}),
    status: f.status,
    confidence: f.confidence,
    rule: f.rule,
    since: f.validFrom,
    sources: sourcesOf(f),
    candidates: f.candidates.map((c) => ({
      sourceId: c.provenance.sourceId,
      ...(c.provenance.via ? { via: c.provenance.via } : {}),
      url: c.provenance.url,
      value: c.value,
      flags: c.flags,
      ...(withProvenance ? { provenance: c.provenance } : {}),
    })),
  };
}

export function buildModelDoc(facts: readonly ExportFact[], week: string, generatedAt: string, withProvenance: boolean): ExportResult {
  const models: ModelDoc['models'] = {};
  for (const [id, list] of byModel(facts)) {
    const snapshot = snapshotOf(id);
    const m: ModelDoc['models'][string] = { ...(snapshot ? { snapshotOf: snapshot } : {}), facts: [], routes: {} };
    for (const f of list) {
      const route = f.qualifiers.route;
      if (route === undefined) m.facts.push(docFact(f, withProvenance));
      else (m.routes[route] ??= { facts: [] }).facts.push(docFact(f, withProvenance));
    }
    models[id] = m;
  }
  const doc: ModelDoc = { format: 'modelfacts-export/1', week, generatedAt, models };
  return {
    // no exact-number values in this document (money is decimal strings): the plain serializer is enough and faster
    text: `${JSON.stringify(doc, null, 2)}\n`,
    summary: { format: 'json', week, models: Object.keys(models).length, omittedUnchosen: 0, entries: facts.length - countUnchosen(facts) },
  };
}
