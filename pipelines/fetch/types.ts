import type { Dispatcher } from 'undici';

export interface FetchedPage {
  /** The URL as requested (the live URL, also in replay). */
  url: string;
  /** Where redirects ended, in live URL space. */
  finalUrl: string;
  status: number;
  contentType: string;
  headers: Record<string, string>;
  body: string;
  /** sha256 of the body, hex. */
  hash: string;
  fetchedAt: string;
  mode: 'http' | 'browser';
  /** True when the server answered 304 to a conditional GET: the previous body still holds. */
  notModified?: boolean;
}

/** Maps a live URL to the address actually requested: itself when live, the local replay server in replay. */
export interface Transport {
  name: 'live' | 'replay';
  target(url: URL): string;
  /** For a replay: when the archive was recorded; every page fetched through it carries this time as its fetch time. */
  recordedAt?: string;
  /**
   * The host whose politeness limits a request counts against: by default the URL's own
   * host; a mirror that spreads one site over several servers names the server it sends to.
   */
  hostKey?(url: URL): string;
  /** Answers the HTTP client's requests to `target` addresses in this process (a replay, pipelines/fetch/replay.ts); unset: the network. */
  dispatcher?: Dispatcher;
}

export const liveTransport: Transport = { name: 'live', target: (url) => url.toString() };

export interface Conditional {
  etag?: string;
  lastModified?: string;
}

/**
 * One response as the server sent it (body already decoded), in live URL
 * space: what `modelfacts record` writes into a replay archive. Redirect hops
 * are responses too, with their Location header and an empty body.
 */
export interface RecordedResponse {
  url: string;
  status: number;
  headers: Record<string, string>;
  body: Buffer;
}

export type ResponseRecorder = (response: RecordedResponse) => void;
