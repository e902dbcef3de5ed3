/**
 * Identity report on a real-data week: twin ids (differ only in punctuation,
 * case or token order), unmatched share per source with reason classes, and a
 * seeded random sample of multi-source merges with the raw names behind each
 * id, to check by hand for wrong merges.
 * Usage: npx tsx scripts/identity-report.ts <real-data>/weeks/2026-W17 [--sample 50] [--seed 17] [--unmatched]
 */
import { DEFAULT_ALIAS_MAP, resolveModel } from '../pipelines/normalize/identity.js';
import { identityReport, sample } from '../pipelines/report/identity-report.js';
import { realDataNames } from '../pipelines/run/real-data-names.js';

const [folder, ...rest] = process.argv.slice(2);
if (!folder) {
  process.stderr.write('usage: npx tsx scripts/identity-report.ts <week folder> [--sample N] [--seed S] [--unmatched]\n');
  process.exit(2);
}
const flag = (name: string, dflt: number) => {
  const i = rest.indexOf(name);
  return i >= 0 ? Number(rest[i + 1]) : dflt;
};
const names = realDataNames(folder);
const resolve = (n: { name: string; creator?: string; host?: string }) => resolveModel(n, DEFAULT_ALIAS_MAP);
const report = identityReport(names, resolve);
const out: string[] = [];
out.push(`# identity report: ${folder}`, '');
out.push(`twin groups (ids differing only in punctuation, case or token order): ${report.twins.length}`);
for (const g of report.twins) out.push(`  ${g.join('  |  ')}`);
out.push('', 'unmatched raw names per source:');
for (const s of report.perSource) out.push(`  ${s.sourceId}: ${s.unmatched} of ${s.names} (${(s.share * 100).toFixed(2)} %)`);
out.push(`  by reason: ${JSON.stringify(report.unmatchedByReason)}`);
out.push('', `multi-source merges: ${report.merges.length}`);
const n = flag('--sample', 50);
const picked = sample(report.merges, n, flag('--seed', 17)).sort((a, b) => a.modelId.localeCompare(b.modelId));
out.push(`sample of ${picked.length} (seed ${flag('--seed', 17)}):`);
picked.forEach((m, i) => {
  out.push(`${String(i + 1).padStart(2)}. ${m.modelId}`);
  for (const [src, raw] of Object.entries(m.names)) out.push(`      ${src}: ${raw.join(', ')}`);
});
if (rest.includes('--unmatched')) {
  out.push('', 'unmatched names:');
  const seen = new Set<string>();
  for (const nm of names) {
    const r = resolve(nm);
    const key = `${nm.sourceId} ${nm.name}`;
    if ('unmatched' in r && !seen.has(key)) {
      seen.add(key);
      out.push(`  ${nm.sourceId}\t${r.reason}\t${nm.name}${r.candidates ? `\t${r.candidates.join(' ')}` : ''}`);
    }
  }
}
process.stdout.write(`${out.join('\n')}\n`);
