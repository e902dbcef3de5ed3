/**
 * Reconcile speed on a catalog-sized synthetic input (200k claims), printed.
 * Usage: node --import tsx bench/reconcile.ts (also run by `npm run bench`).
 */
import type { Claim } from '../schema/observation.js';
import { reconcile } from '../pipelines/reconcile/index.js';
import { claim, day, NOW, perImage, perTokens, SOURCES, usd } from '../test/reconcile.helpers.js';

/** A catalog-sized input: 5,000 models, 40 claims each, with conflicts and unqualified per-image prices. */
function bigInput(models: number): Claim[] {
  const out: Claim[] = [];
  const aggregators = ['models-dev', 'litellm', 'openrouter-api', 'llm-stats'];
  for (let m = 0; m < models; m++) {
    const modelId = `openai/model-${m}`;
    const at = { modelId };
    out.push(claim('openai-docs', 'release_date', day('2025-10-06'), at));
    for (const [i, s] of aggregators.entries()) {
      out.push(claim(s, 'release_date', day(i === 3 ? '2025-01-01' : `2025-10-0${1 + (m + i) % 7}`), at));
      out.push(claim(s, 'context_window', { kind: 'count', count: m % 3 === 0 ? 0 : 128_000 }, at));
      out.push(claim(s, 'license', { kind: 'license', name: 'Proprietary', commercialUse: i % 2 ? 'conditional' : 'allowed' }, at));
      for (const route of ['openai', 'vercel', 'azure']) {
        out.push(claim(s, 'price', usd(`${(m % 5) + i}.5`), { ...at, qualifiers: perTokens(route, 'input') }));
        out.push(claim(s, 'price', usd('8'), { ...at, qualifiers: perTokens(route, 'output') }));
      }
      out.push(claim(s, 'price', usd(`0.0${i + 1}`), { ...at, qualifiers: perImage(i % 2 ? 'low' : undefined) }));
    }
    for (const [q, size, p] of [['low', '1024x1024', '0.01'], ['high', '1024x1024', '0.04'], ['low', '1536x1024', '0.02']] as const) {
      out.push(claim('openai-docs', 'price', usd(p), { ...at, qualifiers: perImage(q, size) }));
    }
    out.push(claim('vercel-gateway-api', 'price', usd('2.5'), { ...at, qualifiers: perTokens('vercel', 'input') }));
  }
  return out;
}

const claims = bigInput(5_000);
const t0 = performance.now();
const cpu0 = process.cpuUsage();
const { facts } = reconcile(claims, { sources: SOURCES, now: NOW });
const cpu = process.cpuUsage(cpu0);
console.log(
  `reconcile: ${claims.length} claims into ${facts.length} facts in ${Math.round((cpu.user + cpu.system) / 1000)} ms CPU, ` +
    `${Math.round(performance.now() - t0)} ms wall`,
);
