import type { TopLevelSpec } from 'vega-lite';

// Vega and Vega-Lite are loaded by the first chart, not with the CLI: they hold memory
// that `demo`, `produce` and `consume` never use.
let renderer: Promise<[typeof import('vega'), typeof import('vega-lite')]> | undefined;
const loadRenderer = () => (renderer ??= Promise.all([import('vega'), import('vega-lite')]));

const CONFIG = {
  font: 'system-ui, -apple-system, Segoe UI, Roboto, sans-serif',
  view: { stroke: null },
  axis: { labelFontSize: 11, titleFontSize: 12, grid: true, gridColor: '#eee' },
  legend: { labelFontSize: 11, titleFontSize: 12 },
  range: { category: ['#e4572e', '#17bebb', '#ffc914', '#2e282a', '#76b041', '#7e4e9c', '#3d7dca', '#c94c8a'] },
};

/**
 * Renders a Vega-Lite spec to an SVG string on the server (no browser, no
 * JavaScript needed to view it). Namespace URIs are removed: inline SVG in
 * HTML does not need them, and the report then holds no URL at all.
 */
export async function renderSvg(spec: TopLevelSpec): Promise<string> {
  const [vega, { compile }] = await loadRenderer();
  const { spec: vg } = compile({ ...spec, config: { ...CONFIG, ...(spec.config ?? {}) } } as TopLevelSpec);
  const view = new vega.View(vega.parse(vg), { renderer: 'none' });
  const svg = await view.toSVG();
  view.finalize();
  return svg.replace(/ xmlns(:xlink)?="[^"]*"/g, '');
}

type Values = Record<string, unknown>[];

export const barChart = (
  values: Values,
  x: string,
  y: string,
  title: string,
  opts: { xTitle?: string; yTitle?: string; sort?: boolean; width?: number } = {},
): TopLevelSpec => ({
  title,
  width: opts.width ?? 520,
  height: 220,
  data: { values },
  mark: { type: 'bar', color: '#e4572e', cornerRadiusEnd: 2 },
  encoding: {
    x: { field: x, type: 'nominal', sort: opts.sort === false ? null : '-y', title: opts.xTitle ?? null, axis: { labelAngle: -30 } },
    y: { field: y, type: 'quantitative', title: opts.yTitle ?? null },
    tooltip: [{ field: x }, { field: y }],
  },
});

export const hourlyChart = (values: Values, title: string): TopLevelSpec => ({
  title,
  width: 520,
  height: 200,
  data: { values },
  mark: { type: 'bar', color: '#17bebb' },
  encoding: {
    x: { field: 'hour', type: 'ordinal', title: 'hour of day (local)', axis: { labelAngle: 0 } },
    y: { field: 'orders', type: 'quantitative', title: 'orders' },
  },
});

export const lineByBrand = (values: Values, title: string): TopLevelSpec => ({
  title,
  width: 520,
  height: 240,
  data: { values },
  mark: { type: 'line', point: true, strokeWidth: 2 },
  encoding: {
    x: { field: 'date', type: 'ordinal', title: null, axis: { labelAngle: -30 } },
    y: { field: 'revenue', type: 'quantitative', title: 'revenue (EUR)' },
    color: { field: 'brand', type: 'nominal', title: 'brand' },
  },
});

const WEEKDAYS = ['Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat', 'Sun'];

export const heatmapChart = (values: { weekday: number; hour: number; orders: number }[], title: string): TopLevelSpec => ({
  title,
  width: 520,
  height: 180,
  data: { values: values.map((v) => ({ ...v, day: WEEKDAYS[v.weekday] })) },
  mark: { type: 'rect' },
  encoding: {
    x: { field: 'hour', type: 'ordinal', title: 'hour (local)', axis: { labelAngle: 0 } },
    y: { field: 'day', type: 'ordinal', sort: WEEKDAYS, title: null },
    color: { field: 'orders', type: 'quantitative', scale: { scheme: 'oranges' }, title: 'orders' },
  },
});
