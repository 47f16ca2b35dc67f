/** One bar: a figure measured against its target (1 = on target, above 1 = better). */
export interface ScoreBar {
  readonly label: string;
  readonly score: number;
}

/** One point of the scaling line. */
export interface ScalingPoint {
  readonly invoices: number;
  readonly seconds: number;
}

const WIDTH = 960;
const BAR_HEIGHT = 22;
const LABEL_WIDTH = 420;
const PANEL_GAP = 40;
const SCALING_HEIGHT = 260;
const FONT = 'font-family="Helvetica, Arial, sans-serif" font-size="12"';
const MET = '#2f855a';
const MISSED = '#c53030';

/**
 * The report's chart as a standalone SVG, written here so that no browser or image library is
 * needed: on top, one bar per target figure on a log scale around the target line; below,
 * billing time against invoices on log-log axes with the linear reference through the
 * smallest run (a straight run of points along it is linear scaling).
 */
export function renderChart(bars: readonly ScoreBar[], scaling: readonly ScalingPoint[]): string {
  const barsHeight = 40 + bars.length * (BAR_HEIGHT + 8) + 30;
  const height = barsHeight + (scaling.length > 1 ? PANEL_GAP + SCALING_HEIGHT : 0);
  const parts = [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" ${FONT}>`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    ...scorePanel(bars),
    ...(scaling.length > 1 ? scalingPanel(scaling, barsHeight + PANEL_GAP) : []),
    '</svg>',
  ];
  return `${parts.join('\n')}\n`;
}

function scorePanel(bars: readonly ScoreBar[]): string[] {
  const left = LABEL_WIDTH;
  const right = WIDTH - 60;
  // Log scale from 1/10 to 10 of the target, the target in the middle.
  const x = (score: number) => left + ((Math.log10(clamp(score, 0.1, 10)) + 1) / 2) * (right - left);
  const out = [
    `<text x="10" y="20" font-size="14" font-weight="bold">Each figure against its target (log scale; right of the line = target met)</text>`,
  ];
  const bottom = 40 + bars.length * (BAR_HEIGHT + 8);
  for (const tick of [0.1, 0.25, 0.5, 1, 2, 4, 10]) {
    out.push(
      `<line x1="${x(tick).toFixed(1)}" y1="32" x2="${x(tick).toFixed(1)}" y2="${bottom}" stroke="${tick === 1 ? '#000' : '#ddd'}" stroke-width="${tick === 1 ? 2 : 1}"/>`,
      `<text x="${x(tick).toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${tick === 1 ? 'target' : `${tick}x`}</text>`,
    );
  }
  bars.forEach((bar, index) => {
    const y = 40 + index * (BAR_HEIGHT + 8);
    const met = bar.score >= 1;
    const [from, to] = [Math.min(x(1), x(bar.score)), Math.max(x(1), x(bar.score))];
    out.push(
      `<text x="${left - 8}" y="${y + 15}" text-anchor="end">${escapeXml(bar.label)}</text>`,
      `<rect x="${from.toFixed(1)}" y="${y}" width="${Math.max(to - from, 1).toFixed(1)}" height="${BAR_HEIGHT}" fill="${met ? MET : MISSED}"/>`,
      // Right of the bar when met, right of the target line when missed: never over the labels on the left.
      `<text x="${((met ? to : x(1)) + 4).toFixed(1)}" y="${y + 15}">${formatScore(bar.score)}</text>`,
    );
  });
  return out;
}

function scalingPanel(points: readonly ScalingPoint[], top: number): string[] {
  const left = 90;
  const right = WIDTH - 60;
  const plotTop = top + 30;
  const bottom = top + SCALING_HEIGHT - 40;
  const sorted = [...points].sort((a, b) => a.invoices - b.invoices);
  const first = sorted[0]!;
  // The linear reference: the smallest run's time per invoice, carried to every size.
  const linear = (invoices: number) => (first.seconds / first.invoices) * invoices;
  const [minX, maxX] = [first.invoices, sorted.at(-1)!.invoices];
  const seconds = [...sorted.map((p) => p.seconds), linear(maxX)];
  const [minY, maxY] = [Math.min(...seconds) / 1.5, Math.max(...seconds) * 1.5];
  const x = (invoices: number) =>
    left + ((Math.log10(invoices) - Math.log10(minX)) / (Math.log10(maxX) - Math.log10(minX) || 1)) * (right - left);
  const y = (s: number) =>
    bottom - ((Math.log10(s) - Math.log10(minY)) / (Math.log10(maxY) - Math.log10(minY))) * (bottom - plotTop);
  const out = [
    `<text x="10" y="${top + 14}" font-size="14" font-weight="bold">Billing time against invoices (log-log; dashed = linear from the smallest run)</text>`,
    `<line x1="${left}" y1="${bottom}" x2="${right}" y2="${bottom}" stroke="#000"/>`,
    `<line x1="${left}" y1="${plotTop}" x2="${left}" y2="${bottom}" stroke="#000"/>`,
    `<line x1="${x(minX).toFixed(1)}" y1="${y(linear(minX)).toFixed(1)}" x2="${x(maxX).toFixed(1)}" y2="${y(linear(maxX)).toFixed(1)}" stroke="#888" stroke-dasharray="6 4"/>`,
    `<polyline fill="none" stroke="#2b6cb0" stroke-width="2" points="${sorted.map((p) => `${x(p.invoices).toFixed(1)},${y(p.seconds).toFixed(1)}`).join(' ')}"/>`,
  ];
  for (const point of sorted) {
    out.push(
      `<circle cx="${x(point.invoices).toFixed(1)}" cy="${y(point.seconds).toFixed(1)}" r="4" fill="#2b6cb0"/>`,
      `<text x="${x(point.invoices).toFixed(1)}" y="${(y(point.seconds) - 8).toFixed(1)}" text-anchor="middle">${point.seconds.toFixed(1)} s</text>`,
      `<text x="${x(point.invoices).toFixed(1)}" y="${bottom + 16}" text-anchor="middle">${point.invoices.toLocaleString('en-US')}</text>`,
    );
  }
  out.push(
    `<text x="${(left + right) / 2}" y="${bottom + 34}" text-anchor="middle">invoices</text>`,
    `<text x="20" y="${(plotTop + bottom) / 2}" text-anchor="middle" transform="rotate(-90 20 ${(plotTop + bottom) / 2})">seconds</text>`,
  );
  return out;
}

function formatScore(score: number): string {
  return `${score.toFixed(2)}x target`;
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value));
}

function escapeXml(text: string): string {
  return text.replace(/[<>&"`]/g, (c) =>
    c === '`' ? '' : `&${{ '<': 'lt', '>': 'gt', '&': 'amp', '"': 'quot' }[c]};`,
  );
}
