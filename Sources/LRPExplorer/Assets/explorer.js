// The explorer's page: a gallery of the inputs, two composite editors with their heatmaps, the relevance sums
// per node and the AOPC on request. Everything it shows comes from the JSON API of `lrp serve`.
import { $, element, api, query, download } from './page.js';
import { RULES, formatNumber, ruleSpec, defaultRule, specFromRanges, rangesFromRules, slidesComposite, presets } from './specs.js';
import { drawSumsPlot } from './sums-plot.js';

const RULE_COLORS = { zero: '#ddd', epsilon: '#9cd1f0', gamma: '#f5c26b', alphabeta: '#c9a0e8', zplus: '#a5dc9f', flat: '#f0a0a0', wsquare: '#e0e080', box: '#80d0c0' };
const state = { model: null, page: 0, pageSize: 32, input: 0, configs: [] };

function showPageError(message) {
  const box = $('#page-error');
  box.textContent = message;
  box.hidden = !message;
}

function setStatus() {
  const busy = state.configs.filter(config => config.inFlight).length;
  $('#status').textContent = busy ? 'computing…' : 'ready';
}

// ---- a configuration: editor, heatmap, exports ----

function createConfig(name, spec) {
  const root = $('#config-template').content.firstElementChild.cloneNode(true);
  const config = { name, root, spec, ranges: [], rebuild: true, inFlight: 0, wanted: null, sent: 0, drawn: 0, result: null, shown: 0 };
  root.dataset.config = name;
  $('.config-name', root).textContent = name;
  for (const [label, presetSpec] of presets(state.model)) {
    $('.presets', root).append(element('button', { type: 'button', textContent: label, title: presetSpec, onclick: () => applySpec(config, presetSpec) }));
  }
  const input = $('.spec', root);
  input.value = spec;
  input.addEventListener('keydown', event => { if (event.key === 'Enter') applySpec(config, input.value.trim()); });
  input.addEventListener('change', () => applySpec(config, input.value.trim()));
  $('.export-spec', root).onclick = () => download(new Blob([config.spec + '\n'], { type: 'text/plain' }), `composite-${name}.txt`);
  $('#configs').append(root);
  return config;
}

/// A typed or preset specification: the editor's ranges are rebuilt from the rules the server resolves.
function applySpec(config, spec) {
  config.spec = spec;
  config.rebuild = true;
  $('.spec', config.root).value = spec;
  explain(config);
}

/// The editor's ranges changed: a new specification from them. A slider being moved keeps its row
/// (`redraw` false); other edits draw the editor anew.
function rangesEdited(config, release, redraw = true) {
  config.spec = specFromRanges(config.ranges);
  config.rebuild = false;
  $('.spec', config.root).value = config.spec;
  if (redraw) drawEditor(config);
  explain(config, release);
}

function drawEditor(config) {
  const layers = state.model.layers;
  const strip = $('.layer-strip', config.root);
  strip.replaceChildren();
  let from = 1;
  for (const range of config.ranges) {
    for (let number = from; number <= range.to; number++) {
      const layer = layers[number - 1];
      strip.append(element('div', { textContent: `${number} ${layer.operatorName}`, title: `${layer.node}: ${layer.details} → ${ruleSpec(range.rule)}`, style: `background:${RULE_COLORS[range.rule.kind]}` }));
    }
    from = range.to + 1;
  }
  const body = $('.ranges tbody', config.root);
  body.replaceChildren(...config.ranges.map((range, index) => rangeRow(config, index)));
}

function rangeRow(config, index) {
  const ranges = config.ranges;
  const range = ranges[index];
  const from = index === 0 ? 1 : ranges[index - 1].to + 1;
  const last = index === ranges.length - 1;
  const end = element('input', { type: 'number', min: from, max: last ? range.to : ranges[index + 1].to - 1, value: range.to, disabled: last, title: 'the last layer of this range' });
  end.onchange = () => {
    range.to = Math.min(Math.max(parseInt(end.value, 10) || from, from), Number(end.max));
    rangesEdited(config, performance.now());
  };
  const kind = element('select', {}, RULES.map(rule => element('option', { value: rule, textContent: rule, selected: rule === range.rule.kind })));
  kind.onchange = () => { range.rule = defaultRule(kind.value, state.model.inputRange); rangesEdited(config, performance.now()); };
  const split = element('button', { type: 'button', textContent: '+', title: 'split this range in two', disabled: from === range.to });
  split.onclick = () => {
    ranges.splice(index, 0, { to: from + Math.floor((range.to - from) / 2), rule: { ...range.rule } });
    rangesEdited(config, performance.now());
  };
  const merge = element('button', { type: 'button', textContent: '×', title: 'merge into the next range', disabled: last });
  merge.onclick = () => { ranges.splice(index, 1); rangesEdited(config, performance.now()); };
  return element('tr', {}, [
    element('td', {}, [`${from}–`, end]),
    element('td', {}, [kind]),
    element('td', {}, parameterControls(config, range.rule)),
    element('td', {}, [split, merge]),
  ]);
}

/// Sliders for the rule's parameters: moving one updates the specification (and asks for a heatmap at most
/// one at a time); releasing it asks for the heatmap of the final value and times it.
function parameterControls(config, rule) {
  const [low, high] = state.model.inputRange;
  const span = Math.max(high - low, 1e-3);
  const slider = (label, min, max, step, get, set, show) => {
    const input = element('input', { type: 'range', min, max, step, value: get() });
    const value = element('span', { textContent: show(get()) });
    input.oninput = () => { set(Number(input.value)); rule.raw = null; value.textContent = show(get()); rangesEdited(config, null, false); };
    input.onchange = () => { set(Number(input.value)); rangesEdited(config, performance.now(), false); };
    return element('span', { className: 'param' }, [label + ' ', input, ' ', value]);
  };
  switch (rule.kind) {
    case 'epsilon':
      return [slider('ε', -6, 1, 0.1, () => Math.log10(rule.epsilon), v => { rule.epsilon = 10 ** v; }, v => formatNumber(10 ** v))];
    case 'gamma':
      return [slider('γ', 0, 2, 0.01, () => rule.gamma, v => { rule.gamma = v; }, formatNumber)];
    case 'alphabeta':
      return [slider('α', 1, 4, 0.5, () => rule.alpha, v => { rule.alpha = v; }, v => `${formatNumber(v)}, β ${formatNumber(v - 1)}`)];
    case 'box':
      return [slider('low', low - span / 2, high, span / 100, () => rule.low, v => { rule.low = Math.min(v, rule.high); }, formatNumber),
        slider('high', low, high + span / 2, span / 100, () => rule.high, v => { rule.high = Math.max(v, rule.low); }, formatNumber)];
    default:
      return ['–'];
  }
}

// ---- explanations ----

/// Asks for the heatmap of the configuration's current state. While a slider moves, one request at a time is
/// sent and only the latest wish kept; a release (`release`: the time the slider was let go, to measure the
/// latency of that change) or any other edit is sent at once, and an answer older than the picture shown is
/// dropped.
function explain(config, release = null) {
  config.wanted = { spec: config.spec, input: state.input, target: $('#target').value, colormap: $('#colormap').value, release };
  $('.export-npy', config.root).href = '/api/relevance.npy?' + query({ input: state.input, spec: config.spec, target: $('#target').value });
  if (config.inFlight === 0 || release !== null) send(config);
}

async function send(config) {
  const wish = config.wanted;
  const number = ++config.sent;
  config.wanted = null;
  config.inFlight += 1;
  setStatus();
  const image = $('.heatmap', config.root);
  const errorBox = $('.config-error', config.root);
  try {
    const result = await api('/api/explain?' + query({ input: wish.input, spec: wish.spec, target: wish.target, colormap: wish.colormap }));
    if (number < config.drawn) return;
    config.drawn = number;
    image.src = result.heatmap;
    await image.decode();
    const latency = wish.release === null ? null : performance.now() - wish.release;
    config.result = result;
    config.shown += 1;
    image.dataset.version = config.shown;
    image.dataset.spec = wish.spec;
    image.dataset.serverMs = result.milliseconds.toFixed(1);
    if (latency !== null) image.dataset.latencyMs = latency.toFixed(1);
    image.classList.remove('stale');
    errorBox.hidden = true;
    $('.spec', config.root).classList.remove('invalid');
    $('.heatmap-caption', config.root).textContent =
      `${result.targetName} (${result.target}): score ${result.score.toFixed(3)}, Σ R ${result.relevanceSum.toFixed(3)}; server ${result.milliseconds.toFixed(1)} ms` +
      (latency === null ? '' : `, ${latency.toFixed(0)} ms from release to picture`);
    if (config.rebuild && wish.spec === config.spec) {
      config.rebuild = false;
      config.ranges = rangesFromRules(result.rules);
      drawEditor(config);
    }
    drawSumsPlot($('#sums-plot'), state.configs);
  } catch (error) {
    if (number < config.drawn) return;
    config.drawn = number;
    errorBox.textContent = error.message;
    errorBox.hidden = false;
    image.classList.add('stale');
    $('.spec', config.root).classList.add('invalid');
  } finally {
    config.inFlight -= 1;
    setStatus();
    if (config.wanted && config.inFlight === 0) send(config);
  }
}

const explainAll = () => state.configs.forEach(config => explain(config));

// ---- AOPC ----

let aopcRun = null;

async function computeAOPC() {
  const button = $('#aopc-run');
  if (aopcRun) { aopcRun.cancelled = true; return; }
  const run = aopcRun = { cancelled: false };
  const total = state.model.inputCount;
  const chunk = state.model.limits.aopcInputs;
  const progress = $('#aopc-progress');
  const table = $('#aopc-table');
  const target = $('#target').value;
  const jobs = state.configs.map(config => ({ config, spec: config.spec, values: [], error: null }));
  progress.hidden = false;
  progress.value = 0;
  button.textContent = 'Cancel';
  table.replaceChildren(element('tr', {}, ['configuration', 'composite', 'AOPC', 'inputs'].map(text => element('th', { textContent: text }))));
  const steps = jobs.length * Math.ceil(total / chunk);
  let done = 0;
  for (const job of jobs) {
    for (let first = 0; first < total && !job.error && !run.cancelled; first += chunk) {
      try {
        const answer = await api('/api/aopc?' + query({ first, count: Math.min(chunk, total - first), spec: job.spec, target }));
        job.values.push(...answer.values);
      } catch (error) {
        job.error = error.message;
      }
      progress.value = ++done / steps;
    }
  }
  for (const job of jobs) {
    const mean = job.values.reduce((sum, value) => sum + value, 0) / Math.max(job.values.length, 1);
    table.append(element('tr', {}, [job.config.name, job.spec, job.error || (job.values.length ? mean.toFixed(4) : '–'), String(job.values.length)]
      .map(text => element('td', { textContent: text }))));
  }
  aopcRun = null;
  button.textContent = 'Compute AOPC';
  progress.hidden = true;
}

// ---- gallery and selection ----

async function loadPage(page) {
  const first = page * state.pageSize;
  const answer = await api('/api/inputs?' + query({ first, count: Math.min(state.pageSize, state.model.inputCount - first) }));
  state.page = page;
  const pages = Math.ceil(answer.total / state.pageSize);
  $('#page-label').textContent = `${page + 1} / ${pages}`;
  $('#prev').disabled = page === 0;
  $('#next').disabled = page + 1 >= pages;
  $('#gallery').replaceChildren(...answer.inputs.map(input => {
    const lines = [element('div', { className: 'name', textContent: input.name })];
    if (input.labelName) lines.push(element('div', { textContent: 'label: ' + input.labelName }));
    lines.push(element('div', { textContent: input.top.map(p => `${p.name} ${p.score.toFixed(2)}`).join(' · ') }));
    const button = element('button', { type: 'button', className: 'thumb', title: input.name }, [
      element('img', { src: `/api/inputs/${input.index}/image.png`, alt: input.name }), element('div', { className: 'meta' }, lines)]);
    button.dataset.index = input.index;
    button.onclick = () => select(input);
    return button;
  }));
  markSelection();
}

function markSelection() {
  for (const thumb of document.querySelectorAll('.thumb')) thumb.classList.toggle('selected', Number(thumb.dataset.index) === state.input);
}

function select(input) {
  state.input = input.index;
  $('#input-image').src = `/api/inputs/${input.index}/image.png`;
  $('#input-caption').textContent = input.name + (input.labelName ? ` (label: ${input.labelName})` : '');
  markSelection();
  explainAll();
}

// ---- the view's export ----

/// The input and both heatmaps side by side, with their composites underneath.
function exportView() {
  const size = 256;
  const pictures = [$('#input-image')].concat(state.configs.map(config => $('.heatmap', config.root)));
  const canvas = element('canvas', { width: pictures.length * (size + 10) + 10, height: size + 60 });
  const context = canvas.getContext('2d');
  context.fillStyle = '#fff';
  context.fillRect(0, 0, canvas.width, canvas.height);
  context.imageSmoothingEnabled = false;
  context.fillStyle = '#222';
  context.font = '12px sans-serif';
  pictures.forEach((picture, index) => {
    const left = 10 + index * (size + 10);
    if (picture.complete && picture.naturalWidth) context.drawImage(picture, left, 10, size, size);
    const caption = index === 0 ? $('#input-caption').textContent : `${state.configs[index - 1].name}: ${state.configs[index - 1].spec}`;
    context.fillText(caption.slice(0, 40), left, size + 28);
    if (caption.length > 40) context.fillText(caption.slice(40, 80), left, size + 44);
  });
  canvas.toBlob(blob => download(blob, 'explorer-view.png'));
}

// ---- start ----

async function start() {
  window.addEventListener('error', event => showPageError('The page hit an error: ' + event.message));
  window.addEventListener('unhandledrejection', event => showPageError(String(event.reason && event.reason.message || event.reason)));
  const model = state.model = await api('/api/model');
  $('#model-name').textContent = `${model.name}: ${model.inputCount} inputs, ${model.layers.length} weighted layers`;
  state.pageSize = Math.min(32, model.limits.pageSize);
  const targets = [['predicted', 'predicted class']].concat(model.hasLabels ? [['labels', 'true label']] : [], model.classes.map((name, index) => [String(index), `${index}: ${name}`]));
  $('#target').replaceChildren(...targets.map(([value, text]) => element('option', { value, textContent: text })));
  $('#colormap').replaceChildren(...model.colorMaps.map(name => element('option', { value: name, textContent: name, selected: name === 'bwr' })));
  $('#target').onchange = explainAll;
  $('#colormap').onchange = explainAll;
  $('#prev').onclick = () => loadPage(state.page - 1).catch(error => showPageError(error.message));
  $('#next').onclick = () => loadPage(state.page + 1).catch(error => showPageError(error.message));
  $('#aopc-run').onclick = computeAOPC;
  $('#export-png').onclick = exportView;
  state.configs = [createConfig('A', slidesComposite(model.layers.length)), createConfig('B', 'epsilon-plus')];
  await loadPage(0);
  const first = $('.thumb');
  if (first) first.click();
}

start().catch(error => showPageError('The explorer could not start: ' + error.message));
