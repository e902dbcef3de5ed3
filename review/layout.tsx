/** The page frame: navigation, the app's own stylesheet and script (nothing from elsewhere). */
import type { Child } from 'hono/jsx';

export interface LayoutProps {
  title: string;
  week?: string;
  by: string;
  children: Child;
}

export function Layout({ title, week, by, children }: LayoutProps) {
  const q = week ? `?week=${encodeURIComponent(week)}` : '';
  return (
    <html lang="en">
      <head>
        <meta charset="utf-8" />
        <meta name="viewport" content="width=device-width, initial-scale=1" />
        <title>{title} · modelfacts review</title>
        <link rel="stylesheet" href="/static/app.css" />
        <script src="/static/app.js" defer></script>
      </head>
      <body>
        <header class="top">
          <a class="brand" href={`/${q}`}>
            modelfacts review
          </a>
          <nav>
            <a href={`/${q}`}>Queue</a>
            <a href="/models">Models</a>
            <a href="/runs">Runs</a>
            <a href="/decisions">Decisions</a>
          </nav>
          <span class="who">
            reviewing as <b>{by}</b>
            {week ? <> · week {week}</> : null}
          </span>
        </header>
        <main>{children}</main>
        <footer class="keys">
          Keys: <kbd>j</kbd>/<kbd>k</kbd> next/previous · <kbd>a</kbd> accept the chosen value · <kbd>r</kbd> reject a source ·{' '}
          <kbd>o</kbd> override · <kbd>d</kbd> defer · <kbd>x</kbd> select · <kbd>/</kbd> search
        </footer>
      </body>
    </html>
  );
}

/** A link to a scraped URL only when it is http(s); anything else (javascript:, data:) is shown as text. */
export function SafeLink({ url, children }: { url: string; children?: Child }) {
  let ok = false;
  try {
    const u = new URL(url);
    ok = u.protocol === 'http:' || u.protocol === 'https:';
  } catch {
    ok = false; // not a URL at all: shown as text below
  }
  if (!ok) return <span class="bad-url" title="not an http(s) address: not linked">{children ?? url}</span>;
  return (
    <a href={url} rel="noopener noreferrer nofollow" target="_blank">
      {children ?? url}
    </a>
  );
}

/** A model page's address: `/models/<creator>/<slug>`, each part encoded. */
export const modelHref = (modelId: string) => `/models/${modelId.split('/').map(encodeURIComponent).join('/')}`;
