/** The qualifier filters shared by `prices`, `history` and `diff`, checked against the schema's vocabularies. */
import type { Command } from 'commander';
import type { z } from 'zod';
import type { PriceFilter } from '../pipelines/report/prices.js';
import { Direction, Modality, PriceUnit, Quality, Size, Tier } from '../schema/qualifiers.js';
import { ORDER } from '../schema/qualifiers.js';
import { RouteId } from '../schema/ids.js';
import { UsageError } from './errors.js';

const CHECKS: Record<(typeof ORDER)[number], z.ZodType<string>> = {
  route: RouteId,
  unit: PriceUnit,
  direction: Direction,
  modality: Modality,
  quality: Quality,
  size: Size,
  tier: Tier,
};

export type QualifierOpts = Partial<Record<(typeof ORDER)[number], string>>;

export function addQualifierOptions(cmd: Command, which: readonly (typeof ORDER)[number][] = ORDER): Command {
  for (const k of which) cmd.option(`--${k} <${k}>`, `only prices with this ${k}`);
  return cmd;
}

/** The filter the options name; a value outside the vocabulary is a usage error naming the option. */
export function qualifierFilter(opts: QualifierOpts): PriceFilter {
  const out: PriceFilter = {};
  for (const k of ORDER) {
    const v = opts[k];
    if (v === undefined) continue;
    const r = CHECKS[k].safeParse(v);
    if (!r.success) {
      const options = 'options' in CHECKS[k] ? ` (one of: ${(CHECKS[k] as unknown as { options: string[] }).options.join(', ')})` : '';
      throw new UsageError(`--${k} ${JSON.stringify(v)} is not a valid ${k}${options}`);
    }
    out[k] = v;
  }
  return out;
}
