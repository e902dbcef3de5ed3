/**
 * The review app's guards: a Content-Security-Policy that allows only the
 * app's own scripts and styles, an access token when bound beyond loopback,
 * and a CSRF token on every form (double submit: a SameSite=Strict cookie the
 * page cannot be made to send from elsewhere, echoed in a hidden field).
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type { Context, MiddlewareHandler } from 'hono';
import { getCookie, setCookie } from 'hono/cookie';

export const CSP =
  "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self'; connect-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'none'";

const CSRF_COOKIE = 'mf_csrf';
const AUTH_COOKIE = 'mf_auth';

export function securityHeaders(): MiddlewareHandler {
  return async (c, next) => {
    await next();
    c.header('Content-Security-Policy', CSP);
    c.header('X-Content-Type-Options', 'nosniff');
    c.header('Referrer-Policy', 'no-referrer');
    c.header('X-Frame-Options', 'DENY');
    c.header('Cache-Control', 'no-store');
  };
}

function same(a: string, b: string): boolean {
  const x = createHash('sha256').update(a).digest();
  const y = createHash('sha256').update(b).digest();
  return timingSafeEqual(x, y);
}

/** With a token, every request must carry it: `Authorization: Bearer`, the cookie set by `/?token=`, nothing else. */
export function requireToken(token: string | undefined): MiddlewareHandler {
  return async (c, next) => {
    if (!token) return next();
    const bearer = /^Bearer\s+(.+)$/i.exec(c.req.header('authorization') ?? '')?.[1];
    const cookie = getCookie(c, AUTH_COOKIE);
    if ((bearer && same(bearer, token)) || (cookie && same(cookie, authCookieValue(token)))) return next();
    const given = c.req.method === 'GET' ? c.req.query('token') : undefined;
    if (given && same(given, token)) {
      // once: the token becomes a cookie and leaves the address bar (and the history)
      setCookie(c, AUTH_COOKIE, authCookieValue(token), { httpOnly: true, sameSite: 'Strict', path: '/' });
      const url = new URL(c.req.url);
      url.searchParams.delete('token');
      return c.redirect(`${url.pathname}${url.search}`, 303);
    }
    return c.text('a token is required: open the address with ?token=… once, or send Authorization: Bearer …', 401);
  };
}

const authCookieValue = (token: string) => createHash('sha256').update(`modelfacts-review\u0000${token}`).digest('hex');

/** The CSRF token of this browser (set on first visit). */
export function csrfToken(c: Context): string {
  const existing = getCookie(c, CSRF_COOKIE);
  if (existing && /^[a-f0-9]{64}$/.test(existing)) return existing;
  const fresh = randomBytes(32).toString('hex');
  setCookie(c, CSRF_COOKIE, fresh, { httpOnly: true, sameSite: 'Strict', path: '/' });
  return fresh;
}

/** Refuses (403) a POST whose form does not carry the cookie's CSRF token. */
export function checkCsrf(c: Context, form: Record<string, unknown>): Response | undefined {
  const cookie = getCookie(c, CSRF_COOKIE);
  const field = form._csrf;
  if (!cookie || typeof field !== 'string' || !same(cookie, field)) {
    return c.text('refused: this form is missing its CSRF token (reload the page and try again)', 403);
  }
  return undefined;
}

/** Loopback addresses: the only hosts the app binds without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127(?:\.\d{1,3}){3}$/.test(host);
}
