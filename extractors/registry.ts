import type { SourceModule } from './contract.js';
// One line per source: adding a source is one file, one line here, fixtures and a test.

export const SOURCES = [
] as const satisfies readonly SourceModule[];

export function findSource(id: string): SourceModule | undefined {
  return SOURCES.find((s) => s.id === id);
}
