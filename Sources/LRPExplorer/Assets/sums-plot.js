// The conservation plot: Σ relevance at each node's input ÷ the target's score, input to output, one line per
// configuration.
import { formatNumber } from './specs.js';

const SERIES_COLORS = ['#1f6fc0', '#e07020'];

/// Draws the configurations that have a result into `svg` (480 × 200).
export function drawSumsPlot(svg, configs) {
  const series = configs.filter(config => config.result).map(config => ({
    config, ratios: config.result.layerSums.map(sum => sum.input / (config.result.score || 1)),
  }));
  const all = series.flatMap(entry => entry.ratios).concat([0, 1]);
  const [low, high] = [Math.min(...all), Math.max(...all)];
  const [width, height, left, bottom] = [480, 200, 40, 20];
  const x = (index, count) => left + (count > 1 ? index / (count - 1) : 0.5) * (width - left - 10);
  const y = value => 10 + (high === low ? 0.5 : (high - value) / (high - low)) * (height - bottom - 10);
  const ns = 'http://www.w3.org/2000/svg';
  const shape = (tag, attributes, text) => {
    const node = document.createElementNS(ns, tag);
    for (const [key, value] of Object.entries(attributes)) node.setAttribute(key, value);
    if (text !== undefined) node.textContent = text;
    return node;
  };
  svg.replaceChildren(
    shape('line', { x1: left, x2: width - 10, y1: y(1), y2: y(1), stroke: '#999', 'stroke-dasharray': '4 3' }),
    shape('text', { x: 2, y: y(1) + 4, 'font-size': 11 }, '1'),
    shape('text', { x: 2, y: y(high) + 4, 'font-size': 11 }, formatNumber(high)),
    shape('text', { x: 2, y: y(low) + 4, 'font-size': 11 }, formatNumber(low)),
    shape('text', { x: left, y: height - 4, 'font-size': 11 }, 'input'),
    shape('text', { x: width - 50, y: height - 4, 'font-size': 11 }, 'output'));
  series.forEach(({ config, ratios }, index) => {
    const points = ratios.map((ratio, position) => `${x(position, ratios.length).toFixed(1)},${y(ratio).toFixed(1)}`).join(' ');
    svg.append(shape('polyline', { points, fill: 'none', stroke: SERIES_COLORS[index], 'stroke-width': 2 }));
    svg.append(shape('text', { x: left + 90 + index * 130, y: height - 4, fill: SERIES_COLORS[index], 'font-size': 12 }, '— configuration ' + config.name));
  });
}
