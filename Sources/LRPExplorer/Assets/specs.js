// Composite specifications as `lrp explain --composite` reads them, and the rules of the editor's ranges.

/// The rules the editor offers.
export const RULES = ['zero', 'epsilon', 'gamma', 'alphabeta', 'zplus', 'flat', 'wsquare', 'box'];

/// The number in a specification: at most four significant digits, no exponent for everyday values.
export const formatNumber = value => String(Number(value.toPrecision(4)));

/// A rule as the editor holds it: its kind and parameters; `raw` keeps a specification the sliders cannot
/// show exactly (per-channel box bounds) until a slider is moved.
function parseRule(text) {
  const [kind, argument = ''] = text.split(':');
  const numbers = argument.split(',').map(part => parseFloat(part.split('/')[0]));
  switch (kind) {
    case 'epsilon': return { kind, epsilon: numbers[0] };
    case 'gamma': return { kind, gamma: numbers[0] };
    case 'alphabeta': return { kind, alpha: numbers[0] };
    case 'box': return { kind, low: numbers[0], high: numbers[1], raw: argument.includes('/') ? text : null };
    default: return { kind };
  }
}

export function ruleSpec(rule) {
  switch (rule.kind) {
    case 'epsilon': return 'epsilon:' + formatNumber(rule.epsilon);
    case 'gamma': return 'gamma:' + formatNumber(rule.gamma);
    case 'alphabeta': return 'alphabeta:' + formatNumber(rule.alpha) + ',' + formatNumber(rule.alpha - 1);
    case 'box': return rule.raw || 'box:' + formatNumber(rule.low) + ',' + formatNumber(rule.high);
    default: return rule.kind;
  }
}

/// A rule of `kind` with its usual parameters (box bounds: the inputs' value range).
export function defaultRule(kind, [low, high]) {
  return parseRule({ epsilon: 'epsilon:0.25', gamma: 'gamma:0.25', alphabeta: 'alphabeta:2,1', box: `box:${low},${high}` }[kind] || kind);
}

/// Ranges of weighted layers, each with its rule: `[{ to, rule }]`, the first starting at layer 1.
export function specFromRanges(ranges) {
  let from = 1;
  return ranges.map(range => {
    const selector = from === range.to ? String(from) : `${from}-${range.to}`;
    from = range.to + 1;
    return selector + '=' + ruleSpec(range.rule);
  }).join(';');
}

/// Consecutive layers with the same rule as one range.
export function rangesFromRules(rules) {
  const ranges = [];
  for (const { number, rule } of rules) {
    const last = ranges[ranges.length - 1];
    if (last && last.text === rule) last.to = number;
    else ranges.push({ to: number, text: rule });
  }
  return ranges.map(({ to, text }) => ({ to, rule: parseRule(text) }));
}

/// The slides' composite: γ on the lower layers, ε on the upper ones, LRP-0 on the last.
export function slidesComposite(layers) {
  if (layers < 3) return '*=epsilon:0.25';
  const gammaEnd = Math.max(1, Math.floor(layers * 4 / 9));
  return `1-${gammaEnd}=gamma:0.25;${gammaEnd + 1 === layers - 1 ? gammaEnd + 1 : `${gammaEnd + 1}-${layers - 1}`}=epsilon:0.25;${layers}=zero`;
}

/// The presets as [label, specification]: uniform rules, the slides' composite, the model's presets (ε-γ-box
/// with the inputs' value range).
export function presets(model) {
  const [low, high] = model.inputRange.map(formatNumber);
  const layers = model.layers.length;
  return [['LRP-0', '*=zero'], ['LRP-ε', '*=epsilon:0.25'], ['LRP-γ', '*=gamma:0.25'], ['γ / ε / 0', slidesComposite(layers)]]
    .concat(model.presets.map(name => name.endsWith(':L,H') ? [name.replace(':L,H', ''), name.replace('L,H', `${low},${high}`)] : [name, name]));
}
