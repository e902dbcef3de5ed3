/**
 * One price chart as inline SVG drawn on the server: weeks across, USD up,
 * a line per series, a ringed point where the value changed, and every
 * point's value and sources in its tooltip and in the table below it.
 * Amounts are exact decimal strings; only the drawing scale uses numbers.
 */
import type { PriceChartData } from './price-history.js';

const W = 720;
const H = 260;
const PAD = { l: 70, r: 48, t: 16, b: 40 };
const COLORS = ['#1f77b4', '#d62728', '#2ca02c', '#9467bd', '#ff7f0e', '#17becf', '#8c564b', '#e377c2', '#7f7f7f', '#bcbd22'];
const UNIT_WORDS: Record<string, string> = { per_1m_tokens: 'per 1M tokens', per_image: 'per image', per_token: 'per token' };

export function PriceChart({ chart, weeks }: { chart: PriceChartData; weeks: readonly string[] }) {
  const all = chart.series.flatMap((s) => s.points.map((p) => Number(p.usd)));
  const max = Math.max(...all, 0) * 1.1 || 1;
  const x = (week: string) => {
    const i = weeks.indexOf(week);
    return PAD.l + (weeks.length <= 1 ? (W - PAD.l - PAD.r) / 2 : (i * (W - PAD.l - PAD.r)) / (weeks.length - 1));
  };
  const y = (usd: string) => H - PAD.b - (Number(usd) / max) * (H - PAD.t - PAD.b);
  const ticks = [0, 0.25, 0.5, 0.75, 1].map((f) => f * max);
  const shown = chart.series.slice(0, COLORS.length);
  const unit = UNIT_WORDS[chart.unit] ?? chart.unit;
  return (
    <figure class="chart">
      <figcaption>
        Route <b>{chart.route}</b>, USD {unit}
        {chart.series.length > shown.length ? ` (first ${shown.length} of ${chart.series.length} prices drawn; all in the table)` : ''}
      </figcaption>
      <svg viewBox={`0 0 ${W} ${H}`} width={W} height={H} role="img" aria-label={`price history, route ${chart.route}, ${unit}`}>
        <rect x="0" y="0" width={W} height={H} fill="#fff" />
        {ticks.map((t) => (
          <g>
            <line x1={PAD.l} x2={W - PAD.r} y1={H - PAD.b - (t / max) * (H - PAD.t - PAD.b)} y2={H - PAD.b - (t / max) * (H - PAD.t - PAD.b)} stroke="#e3e3e3" />
            <text x={PAD.l - 6} y={H - PAD.b - (t / max) * (H - PAD.t - PAD.b) + 4} text-anchor="end" font-size="11" fill="#555">
              ${t === 0 ? '0' : t < 1 ? t.toPrecision(2) : t.toFixed(2)}
            </text>
          </g>
        ))}
        {weeks.map((w) => (
          <text x={x(w)} y={H - PAD.b + 18} text-anchor="middle" font-size="11" fill="#555">
            {w}
          </text>
        ))}
        {shown.map((s, i) => (
          <g class="series">
            <polyline fill="none" stroke={COLORS[i]} stroke-width="2" points={s.points.map((p) => `${x(p.week)},${y(p.usd)}`).join(' ')} />
            {s.points.map((p) => (
              <g>
                {p.changed ? <circle cx={x(p.week)} cy={y(p.usd)} r="8" fill="none" stroke="#000" stroke-width="2" class="change" /> : null}
                <circle cx={x(p.week)} cy={y(p.usd)} r="4" fill={COLORS[i]}>
                  <title>
                    {s.label} {p.week}: ${p.usd}
                    {p.changed ? ` (changed from $${p.from})` : ''} — {p.sources.join(', ') || 'no source states the chosen value'} ({p.status})
                  </title>
                </circle>
              </g>
            ))}
          </g>
        ))}
      </svg>
      <ul class="legend">
        {shown.map((s, i) => (
          <li>
            <svg width="14" height="14" viewBox="0 0 14 14" aria-hidden="true">
              <rect width="14" height="14" fill={COLORS[i]} />
            </svg>{' '}
            {s.label}
          </li>
        ))}
        <li>
          <svg width="18" height="18" viewBox="0 0 18 18" aria-hidden="true">
            <circle cx="9" cy="9" r="7" fill="none" stroke="#000" stroke-width="2" />
          </svg>{' '}
          value changed that week
        </li>
      </ul>
      <table class="points">
        <thead>
          <tr>
            <th>price</th>
            {weeks.map((w) => (
              <th>{w}</th>
            ))}
          </tr>
        </thead>
        <tbody>
          {chart.series.map((s) => (
            <tr>
              <th>{s.label}</th>
              {weeks.map((w) => {
                const p = s.points.find((x) => x.week === w);
                if (!p) return <td class="none">—</td>;
                return (
                  <td class={p.changed ? 'changed' : ''}>
                    ${p.usd}
                    {p.changed ? <span class="was"> (was ${p.from})</span> : null}
                    <div class="src">{p.sources.join(', ')}</div>
                  </td>
                );
              })}
            </tr>
          ))}
        </tbody>
      </table>
    </figure>
  );
}
