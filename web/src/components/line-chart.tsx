// A time-series line chart in plain SVG (no chart library: one series, time on x, zero-based y,
// optionally a dashed reference line such as a limit).
// For people who do not see it, the figure has a text summary and the numbers as a table.

import { formatTime } from '../lib/format';

export interface Point {
  atMs: number;
  value: number;
}

const WIDTH = 640;
const HEIGHT = 220;
const PAD = { left: 64, right: 16, top: 12, bottom: 28 };

/** 1, 2 or 5 times a power of ten: steps people read easily. */
function niceStep(range: number, ticks: number): number {
  const raw = range / ticks;
  const power = 10 ** Math.floor(Math.log10(raw));
  const fraction = raw / power;
  return (fraction <= 1 ? 1 : fraction <= 2 ? 2 : fraction <= 5 ? 5 : 10) * power;
}

export interface Reference {
  value: number;
  label: string;
}

export function LineChart({ title, points, format, id, reference }: { title: string; points: Point[]; format: (value: number) => string; id: string; reference?: Reference }) {
  if (points.length < 2) {
    return (
      <figure class="chart">
        <figcaption>{title}</figcaption>
        <p class="state state-empty">Not enough readings yet to draw this chart.</p>
      </figure>
    );
  }
  const first = points[0]!.atMs;
  const last = points[points.length - 1]!.atMs;
  const max = Math.max(...points.map((point) => point.value), reference?.value ?? 0, 0);
  const step = max > 0 ? niceStep(max, 4) : 1;
  const top = Math.max(step, Math.ceil(max / step) * step);
  const x = (atMs: number) => PAD.left + ((atMs - first) / Math.max(1, last - first)) * (WIDTH - PAD.left - PAD.right);
  const y = (value: number) => PAD.top + (1 - value / top) * (HEIGHT - PAD.top - PAD.bottom);
  const line = points.map((point, index) => `${index === 0 ? 'M' : 'L'}${x(point.atMs).toFixed(1)},${y(point.value).toFixed(1)}`).join(' ');
  const yTicks = Array.from({ length: Math.round(top / step) + 1 }, (_, index) => index * step);
  const xTicks = Array.from({ length: 4 }, (_, index) => first + ((last - first) * index) / 3);
  const summary = `${title}: ${points.length} readings from ${formatTime(new Date(first).toISOString())} to ${formatTime(new Date(last).toISOString())}, highest ${format(Math.max(...points.map((point) => point.value)))}, last ${format(points[points.length - 1]!.value)}${reference ? `; ${reference.label} ${format(reference.value)}` : ''}.`;

  return (
    <figure class="chart">
      <figcaption id={`${id}-title`}>{title}</figcaption>
      <svg viewBox={`0 0 ${WIDTH} ${HEIGHT}`} role="img" aria-labelledby={`${id}-title ${id}-summary`} class="chart-svg">
        {yTicks.map((tick) => (
          <g key={tick}>
            <line class="chart-grid" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(tick)} y2={y(tick)} />
            <text class="chart-label" x={PAD.left - 6} y={y(tick) + 4} text-anchor="end">
              {format(tick)}
            </text>
          </g>
        ))}
        {xTicks.map((tick) => (
          <text key={tick} class="chart-label" x={x(tick)} y={HEIGHT - 8} text-anchor="middle">
            {formatTime(new Date(tick).toISOString())}
          </text>
        ))}
        {reference && (
          <g>
            <line class="chart-reference" x1={PAD.left} x2={WIDTH - PAD.right} y1={y(reference.value)} y2={y(reference.value)} />
            <text class="chart-label chart-reference-label" x={WIDTH - PAD.right} y={y(reference.value) - 4} text-anchor="end">
              {`${reference.label} ${format(reference.value)}`}
            </text>
          </g>
        )}
        <path class="chart-line" d={line} fill="none" />
      </svg>
      <p id={`${id}-summary`} class="visually-hidden">
        {summary}
      </p>
      <details class="chart-data">
        <summary>Show the readings as a table</summary>
        <table>
          <thead>
            <tr>
              <th scope="col">Time</th>
              <th scope="col">{title}</th>
            </tr>
          </thead>
          <tbody>
            {points.map((point) => (
              <tr key={point.atMs}>
                <td>{formatTime(new Date(point.atMs).toISOString())}</td>
                <td>{format(point.value)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      </details>
    </figure>
  );
}
