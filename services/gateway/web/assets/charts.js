// Small bar charts drawn as inline SVG: no library, no network. Colours
// come from app.css (classes series-0 … series-7), so the charts obey the
// page's style policy.

const SVG = 'http://www.w3.org/2000/svg';

function el(name, attributes = {}, text) {
  const node = document.createElementNS(SVG, name);
  for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, String(value));
  if (text !== undefined) node.textContent = text;
  return node;
}

// A round upper bound and step for an axis from 0 to max.
function axis(max) {
  if (!(max > 0)) return { top: 1, step: 1 };
  const raw = max / 4;
  const magnitude = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((m) => m * magnitude).find((s) => s >= raw);
  const whole = Math.max(1, Math.round(step));
  return { top: Math.ceil(max / whole) * whole, step: whole };
}

function frame(title, width, height) {
  const svg = el('svg', {
    viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': title, class: 'chart',
    preserveAspectRatio: 'xMinYMin meet',
  });
  svg.append(el('title', {}, title));
  return svg;
}

function legend(svg, names, x, y) {
  let left = x;
  names.forEach((name, i) => {
    svg.append(el('rect', { x: left, y: y - 10, width: 12, height: 12, class: `series-${i % 8}` }));
    const label = el('text', { x: left + 16, y, class: 'legend' }, name);
    svg.append(label);
    left += 28 + 14 * [...name].length;
  });
}

// Vertical bars grouped by category, one colour per series.
//   categories: ['第一季度', …]; series: [{name, values: [n per category]}]
export function groupedBarChart({ title, categories, series, unit = '' }) {
  const width = 720;
  const height = 300;
  const margin = { top: 40, right: 16, bottom: 40, left: 48 };
  const plotWidth = width - margin.left - margin.right;
  const plotHeight = height - margin.top - margin.bottom;
  const svg = frame(title, width, height);
  const max = Math.max(0, ...series.flatMap((s) => s.values));
  const { top, step } = axis(max);
  const y = (v) => margin.top + plotHeight - (v / top) * plotHeight;

  for (let v = 0; v <= top; v += step) {
    svg.append(el('line', { x1: margin.left, x2: width - margin.right, y1: y(v), y2: y(v), class: 'grid' }));
    svg.append(el('text', { x: margin.left - 6, y: y(v) + 4, class: 'tick', 'text-anchor': 'end' }, v));
  }
  const group = plotWidth / Math.max(1, categories.length);
  const barWidth = Math.max(4, Math.min(36, (group * 0.8) / Math.max(1, series.length)));
  categories.forEach((category, c) => {
    const start = margin.left + c * group + (group - barWidth * series.length) / 2;
    series.forEach((s, i) => {
      const value = s.values[c] || 0;
      const bar = el('rect', {
        x: start + i * barWidth, y: y(value), width: barWidth - 2,
        height: Math.max(0, y(0) - y(value)), class: `bar series-${i % 8}`,
        'data-series': s.name, 'data-category': category, 'data-value': value,
      });
      bar.append(el('title', {}, `${s.name} · ${category}：${value}${unit}`));
      svg.append(bar);
      if (value > 0) {
        svg.append(el('text', {
          x: start + i * barWidth + (barWidth - 2) / 2, y: y(value) - 3, class: 'value', 'text-anchor': 'middle',
        }, value));
      }
    });
    svg.append(el('text', {
      x: margin.left + c * group + group / 2, y: height - margin.bottom + 18, class: 'tick', 'text-anchor': 'middle',
    }, category));
  });
  svg.append(el('line', { x1: margin.left, x2: width - margin.right, y1: y(0), y2: y(0), class: 'axis' }));
  legend(svg, series.map((s) => s.name), margin.left, 20);
  return svg;
}

// Horizontal bars, one per label (long Chinese labels read better so).
export function barChart({ title, labels, values, unit = '', empty = '无数据' }) {
  const rowHeight = 30;
  const margin = { top: 16, right: 48, bottom: 28, left: 160 };
  const width = 720;
  const height = margin.top + margin.bottom + rowHeight * Math.max(1, labels.length);
  const plotWidth = width - margin.left - margin.right;
  const svg = frame(title, width, height);
  if (labels.length === 0) {
    svg.append(el('text', { x: width / 2, y: margin.top + 20, class: 'tick', 'text-anchor': 'middle' }, empty));
    return svg;
  }
  const { top, step } = axis(Math.max(0, ...values));
  const x = (v) => margin.left + (v / top) * plotWidth;
  for (let v = 0; v <= top; v += step) {
    svg.append(el('line', { x1: x(v), x2: x(v), y1: margin.top, y2: height - margin.bottom, class: 'grid' }));
    svg.append(el('text', { x: x(v), y: height - margin.bottom + 16, class: 'tick', 'text-anchor': 'middle' }, v));
  }
  labels.forEach((label, i) => {
    const value = values[i] || 0;
    const yTop = margin.top + i * rowHeight + 5;
    svg.append(el('text', { x: margin.left - 8, y: yTop + 15, class: 'tick', 'text-anchor': 'end' }, label));
    const bar = el('rect', {
      x: margin.left, y: yTop, width: Math.max(0, x(value) - margin.left), height: rowHeight - 10,
      class: 'bar series-1', 'data-category': label, 'data-value': value,
    });
    bar.append(el('title', {}, `${label}：${value}${unit}`));
    svg.append(bar);
    svg.append(el('text', { x: x(value) + 6, y: yTop + 15, class: 'value' }, `${value}${unit}`));
  });
  svg.append(el('line', { x1: margin.left, x2: margin.left, y1: margin.top, y2: height - margin.bottom, class: 'axis' }));
  return svg;
}
