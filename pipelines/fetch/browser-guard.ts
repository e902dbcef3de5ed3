/**
 * A rendered page may only reach the hosts its source declares. Playwright's
 * request routing sees HTTP requests, not WebSockets, WebRTC or anything a
 * page opens outside the fetch machinery, so two more layers hold the rest:
 *
 * - Chromium's own network is locked: every connection it would make itself
 *   goes to a proxy that does not exist (loopback included), host names
 *   resolve to nothing, and WebRTC may not use UDP outside the proxy. Page
 *   requests still work because the route handler makes them (route.fetch)
 *   outside Chromium.
 * - In the page: WebSockets are intercepted and closed before any connection
 *   (routeWebSocket), and the WebRTC constructors are removed before any
 *   page script runs.
 */
import type { BrowserContext } from 'playwright';

export const NETWORK_LOCKDOWN_ARGS = [
  // nothing listens on port 9 of an unresolvable proxy: a direct connection by Chromium fails
  '--proxy-server=http://modelfacts-blocked.invalid:9',
  // by default loopback bypasses the proxy; a page must not reach local services either
  '--proxy-bypass-list=<-loopback>',
  '--host-resolver-rules=MAP * ~NOTFOUND',
  '--force-webrtc-ip-handling-policy=disable_non_proxied_udp',
  '--webrtc-ip-handling-policy=disable_non_proxied_udp',
];

const REMOVE_WEBRTC = `(() => {
  for (const name of ['RTCPeerConnection', 'webkitRTCPeerConnection', 'RTCDataChannel', 'RTCIceTransport', 'WebTransport']) {
    try { Object.defineProperty(globalThis, name, { value: undefined, configurable: false, writable: false }); } catch {}
  }
})();`;

export async function guardPage(context: BrowserContext): Promise<void> {
  await context.addInitScript(REMOVE_WEBRTC);
  await context.routeWebSocket(/.*/, (ws) => ws.close({ code: 1008, reason: 'modelfacts: WebSockets are not allowed' }));
}
