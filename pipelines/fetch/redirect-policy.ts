/**
 * A redirect may change the path and (within the declared hosts) the host,
 * but not the scheme or the port: an https page redirected to http would be
 * read over a connection anyone on the path can rewrite, and another port on a
 * declared host is another service. http → https is an upgrade and allowed.
 */

function effectivePort(u: URL): string {
  return u.port || (u.protocol === 'https:' ? '443' : u.protocol === 'http:' ? '80' : '');
}

/** Why `next` may not be followed from a chain that started at `start`; undefined when it may. */
export function redirectRefusal(start: URL, next: URL): string | undefined {
  if (next.protocol !== 'https:' && next.protocol !== 'http:') return `scheme ${next.protocol} is not HTTP`;
  const upgrade = start.protocol === 'http:' && next.protocol === 'https:';
  if (next.protocol !== start.protocol && !upgrade) return `scheme changed from ${start.protocol} to ${next.protocol}`;
  // an upgrade moves to the https default port; any other change of port is refused
  if (!upgrade && effectivePort(next) !== effectivePort(start)) {
    return `port changed from ${effectivePort(start)} to ${effectivePort(next)}`;
  }
  if (upgrade && next.port !== '' && next.port !== '443') return `port changed to ${next.port}`;
  return undefined;
}
