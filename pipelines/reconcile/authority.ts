/**
 * Authority per attribute: the creator's own docs for facts
 * about its models and for prices on its own API; a gateway for prices on
 * its own route; everybody else (aggregators, and gateways speaking about
 * things they do not run) after them. A configured order per attribute
 * replaces this default.
 */
import type { FactId, Settings, SourceInfo } from './types.js';

export class UnknownSourceError extends Error {
  constructor(readonly sourceId: string) {
    super(`reconcile: claim from source "${sourceId}" but options.sources has no entry for it; add its authority`);
    this.name = 'UnknownSourceError';
  }
}

export function sourceInfo(settings: Settings, sourceId: string): SourceInfo {
  const info = settings.sources[sourceId];
  if (!info) throw new UnknownSourceError(sourceId);
  return info;
}

/** The company a creator or gateway source speaks for: its ownRoute, else its id's first word. */
export function ownId(sourceId: string, info: SourceInfo): string {
  return info.ownRoute ?? firstWord(sourceId);
}

/** The id up to its first `-`, without splitting it (asked for every candidate). */
function firstWord(sourceId: string): string {
  const dash = sourceId.indexOf('-');
  return dash < 0 ? sourceId : sourceId.slice(0, dash);
}

export interface Authority {
  /** 0 = no special authority; higher wins. */
  rank: number;
  /** Why, in words, when rank > 0. */
  why?: string;
}

const NONE: Authority = { rank: 0 };

export function authorityOf(sourceId: string, fact: FactId, settings: Settings): Authority {
  const info = sourceInfo(settings, sourceId);
  const order = settings.authorityOverrides[fact.attribute];
  if (order) {
    const i = order.indexOf(sourceId);
    if (i < 0) return NONE;
    return { rank: order.length - i, why: `${sourceId} is #${i + 1} in the configured source order for ${fact.attribute}` };
  }
  if (info.authority === 'aggregator') return NONE;
  const own = ownId(sourceId, info);
  const route = fact.qualifiers.route;
  if (route !== undefined) {
    if (own !== route) return NONE;
    return info.authority === 'gateway'
      ? { rank: 1, why: `${sourceId} is the ${route} gateway's own statement of its prices` }
      : { rank: 1, why: `${sourceId} is the creator's own documentation of its own API (${route})` };
  }
  if (info.authority === 'creator' && own === settings.creatorOf(fact.modelId)) {
    return { rank: 1, why: `${sourceId} is the creator's own documentation of its model` };
  }
  return NONE;
}
