import type { SourceModule } from './contract.js';
import { anttisahla } from './anttisahla.js';
import { llmStats } from './llm-stats.js';
// One line per source: adding a source is one file, one line here, fixtures and a test.

export const SOURCES: readonly SourceModule[] = [
  anttisahla,
  llmStats,
];

export function findSource(id: string): SourceModule | undefined {
  return SOURCES.find((s) => s.id === id);
}
