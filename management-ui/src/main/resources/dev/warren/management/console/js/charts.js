// Time-series charts drawn by uPlot (served from its WebJar). A chart keeps the figures it draws
// on its element: el.chart.data (uPlot's [times, ...series]) and data-points / data-last, so that a
// person's tools and the browser tests can read what is drawn.

import uPlot from '/webjars/uplot/1.6.30/dist/uPlot.esm.js';
import { h } from './ui.js';

const COLORS = ['#2563eb', '#16a34a', '#d97706', '#dc2626', '#7c3aed', '#0891b2'];

/**
 * A line chart. series: [{label}]. Returns {el, set(times, columns)} where times are seconds and
 * columns one array per series.
 */
export function lineChart({ id, title, series, unit = '' }) {
  const box = h('div', { class: 'chart', id, role: 'img', 'aria-label': title });
  const el = h('figure', { class: 'chart-figure' }, h('figcaption', {}, title), box);
  let plot = null;
  let data = [[], ...series.map(() => [])];
  const opts = (width) => ({
    width,
    height: 220,
    scales: { x: { time: true }, y: { range: (u, min, max) => [0, Math.max(1, max * 1.1)] } },
    axes: [{ stroke: '#555' }, { stroke: '#555', size: 60, values: (u, vals) => vals.map((v) => `${v}${unit}`) }],
    series: [{}, ...series.map((s, i) => ({
      label: s.label, stroke: COLORS[i % COLORS.length], width: 2, points: { show: false },
      value: (u, v) => (v === null || v === undefined ? '-' : `${+v.toFixed(1)}${unit}`),
    }))],
    legend: { live: true },
  });
  const width = () => Math.max(240, Math.floor(box.getBoundingClientRect().width) || 600);
  const ensure = () => {
    if (!plot && box.isConnected) {
      plot = new uPlot(opts(width()), data, box);
      new ResizeObserver(() => plot.setSize({ width: width(), height: 220 })).observe(box);
    }
  };
  const set = (times, columns) => {
    data = [times, ...columns];
    box.chart = { data };
    box.dataset.points = String(times.length);
    box.dataset.last = columns.map((c) => (c.length ? c[c.length - 1] : '')).join(',');
    ensure();
    if (plot) plot.setData(data);
  };
  box.chart = { data };
  box.dataset.points = '0';
  return { el, set, mount: ensure };
}

/**
 * Rates per second from a counter's samples as the API gives them (newest first, {sample,
 * timestamp ms}): [times (s), rates], oldest first, one point per pair of readings.
 */
export function ratesFromSamples(samples) {
  const s = (samples || []).slice().reverse();
  const times = [];
  const rates = [];
  for (let i = 1; i < s.length; i++) {
    const dt = (s[i].timestamp - s[i - 1].timestamp) / 1000;
    if (dt <= 0) continue;
    times.push(s[i].timestamp / 1000);
    rates.push(Math.max(0, (s[i].sample - s[i - 1].sample) / dt));
  }
  return [times, rates];
}

/** A depth's samples as [times (s), values], oldest first. */
export function valuesFromSamples(samples) {
  const s = (samples || []).slice().reverse();
  return [s.map((x) => x.timestamp / 1000), s.map((x) => x.sample)];
}

/**
 * Aligns several [times, values] on the first one's times (series missing a point get null):
 * the sampler reads every figure in the same round, so the times agree.
 */
export function align(pairs) {
  const times = pairs.reduce((best, p) => (p[0].length > best.length ? p[0] : best), []);
  const cols = pairs.map(([t, v]) => {
    const at = new Map(t.map((x, i) => [x, v[i]]));
    return times.map((x) => (at.has(x) ? at.get(x) : null));
  });
  return [times, cols];
}
