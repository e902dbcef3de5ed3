/**
 * `modelfacts record --out <folder>`: fetches what each source fetches (its
 * index, the model pages it discovers, and, for browser sources, every
 * request the page makes) through the same Fetcher as a refresh, and writes
 * it as a replay archive. No database is needed; nothing is published.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import type { Command } from 'commander';
import type { SourceModule } from '../extractors/contract.js';
import { Fetcher, liveTransport, type FetcherOptions, type Transport } from '../pipelines/fetch/index.js';
import { ArchiveRecorder } from '../pipelines/fetch/record.js';
import { loadArchive, startReplayServer } from '../pipelines/fetch/replay.js';
import { SEED_ALIAS_TABLE } from '../pipelines/normalize/identity.js';
import type { SourceOutcome } from '../pipelines/publish/publish.js';
import { runSource, type RefreshEvents } from '../pipelines/run/refresh.js';
import { isoWeek, parseWeek } from '../schema/week.js';
import { UsageError } from './errors.js';
import { progressReporter } from './progress.js';
import { safeText } from './terminal.js';
import { selectSources } from './options.js';

export interface RecordOptions {
  out: string;
  sources: readonly SourceModule[];
  transport: Transport;
  week?: string;
  fetcherOptions?: Partial<FetcherOptions>;
  events?: RefreshEvents;
}

export interface RecordResult {
  out: string;
  week: string;
  entries: number;
  sources: { sourceId: string; status: SourceOutcome['status']; pages: number; claims: number; reason?: string }[];
}

function assertEmptyTarget(out: string): void {
  if (!existsSync(out)) return;
  if (!statSync(out).isDirectory()) throw new UsageError(`--out ${out} is a file, not a folder`);
  if (readdirSync(out).length > 0) throw new UsageError(`--out ${out} is not empty: record into a new folder`);
}

/**
 * Runs each source through a recording Fetcher (extraction only drives
 * discovery) and writes the archive. The target folder and the week are
 * checked here, before anything is fetched.
 */
export async function recordArchive(opts: RecordOptions): Promise<RecordResult> {
  assertEmptyTarget(opts.out);
  const week = opts.week ? parseWeek(opts.week) : isoWeek(new Date());
  const recorder = new ArchiveRecorder();
  const fetcher = new Fetcher({ ...opts.fetcherOptions, transport: opts.transport, record: recorder.record });
  const outcomes: SourceOutcome[] = [];
  try {
    const queue = [...opts.sources];
    const worker = async () => {
      for (let s = queue.shift(); s; s = queue.shift()) {
        outcomes.push(await runSource(s, (url, source) => fetcher.fetch(url, source), SEED_ALIAS_TABLE, opts.events));
      }
    };
    await Promise.all(Array.from({ length: 3 }, worker));
  } finally {
    await fetcher.close();
  }
  const manifest = recorder.write(opts.out, { week });
  outcomes.sort((a, b) => a.sourceId.localeCompare(b.sourceId));
  return {
    out: opts.out,
    week,
    entries: manifest.entries.length,
    sources: outcomes.map((o) => ({
      sourceId: o.sourceId,
      status: o.status,
      pages: o.pages.length,
      claims: o.claims.length,
      ...(o.reason ? { reason: o.reason } : {}),
    })),
  };
}

export function registerRecordCommand(program: Command): void {
  program
    .command('record')
    .description('fetch what the sources fetch and write it as a replay archive (manifest.json + bodies), for fixtures')
    .requiredOption('--out <folder>', 'new or empty folder to write the archive into')
    .option('--source <id...>', 'only these sources')
    .option('--week <YYYY-Www>', 'the week label written into the manifest (default: the replayed archive\'s week, else the current week)')
    .option('--replay <folder>', 're-record from an archive instead of the live sites (converts a real-data week folder, too)')
    .option('--json', 'print the result as JSON')
    .action(async (opts: { out: string; source?: string[]; week?: string; replay?: string; json?: boolean }) => {
      const sources = selectSources(opts.source);
      const archive = opts.replay ? loadArchive(opts.replay) : undefined;
      const server = archive ? await startReplayServer(archive) : undefined;
      let result: RecordResult;
      try {
        result = await recordArchive({
          out: opts.out,
          sources,
          week: opts.week ?? archive?.week,
          transport: server?.transport ?? liveTransport,
          events: progressReporter(),
        });
      } finally {
        await server?.close();
      }
      if (opts.json) {
        process.stdout.write(`${JSON.stringify(result, null, 2)}\n`);
      } else {
        process.stdout.write(`recorded ${result.entries} responses into ${result.out} (week ${result.week})\n`);
        for (const s of result.sources) {
          process.stdout.write(safeText(`  ${s.sourceId}: ${s.status}, ${s.pages} pages, ${s.claims} claims${s.reason ? ` — ${s.reason}` : ''}\n`));
        }
      }
      // the archive is written either way; a source that failed is missing pages in it
      if (result.sources.some((s) => s.status !== 'ok')) process.exitCode = 1;
    });
}
