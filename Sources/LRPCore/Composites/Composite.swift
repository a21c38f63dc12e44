/// Which rule applies to which weighted layer (convolution or dense), by position and kind.
///
/// Weighted layers are numbered from 1 nearest the input, in the model's topological order (`lrp info` shows
/// the numbers). When several entries match a layer, the most specific wins: the first layer, then an index
/// range, then a layer kind, then everything.
///
/// Beside the rules, a composite says how the model is canonicalized first (``canonizers``), how relevance
/// crosses the layers without weights (``weightlessRule``), and what kind each weighted layer is
/// (``layerKind``) — Zennit's canonizers, `layer_map` and layer types; each can be replaced.
///
/// ```swift
/// // the slides' composition for 10 weighted layers
/// let slides = try Composite(spec: "1-4=gamma:0.25;5-8=epsilon:0.25;9-10=zero")
/// // the same in code
/// let same = try Composite([(.layers(1...4), .gamma(0.25)), (.layers(5...8), .epsilon(0.25)), (.layers(9...10), .zero)])
/// let preset = try Composite.epsilonGammaBox(low: 0, high: 255)
/// // average pooling by its gradient instead of the Norm rule
/// var custom = Composite.epsilonPlus
/// custom.weightlessRule = { layer in layer is AveragePooling2D ? .gradient : WeightlessRule.standard(for: layer) }
/// ```
public struct Composite: Sendable, Hashable, CustomStringConvertible {
    /// The kinds of weighted layer.
    public enum LayerKind: String, Sendable, Hashable {
        case convolution = "conv", dense
    }

    /// Which weighted layers an entry covers.
    public enum Selector: Sendable, Hashable {
        /// Every weighted layer.
        case all
        /// Weighted layers of one kind.
        case kind(LayerKind)
        /// Weighted layers by number (1-based).
        case layers(ClosedRange<Int>)
        /// Weighted layers from this number to the last.
        case from(Int)
        /// The first weighted layer of a kind (any kind when `nil`).
        case first(LayerKind?)

        var specificity: Int {
            switch self {
            case .all: 0
            case .kind: 1
            case .layers, .from: 2
            case .first: 3
            }
        }
    }

    public let entries: [(selector: Selector, rule: Rule)]
    /// A name for reports (the preset or the specification it was parsed from).
    public let name: String
    /// Rewrites of the model applied before LRP, in order: by default batch normalization (and per-channel
    /// scale-and-shift) merged into the weighted layer before it.
    public var canonizers: [any Canonizer] = [MergeBatchNormalization()]
    /// How relevance crosses each layer without weights; ``WeightlessRule/standard(for:)`` by default.
    public var weightlessRule: @Sendable (any Layer) -> WeightlessRule = { WeightlessRule.standard(for: $0) }
    /// The kind of each weighted layer, for ``Selector/kind(_:)`` and ``Selector/first(_:)``: convolutions
    /// and dense layers by default.
    public var layerKind: @Sendable (any LinearLayer) -> LayerKind = { $0 is Convolution2D ? .convolution : .dense }

    /// - Throws: `LRPError` (`.parameter`) for a rule whose values are out of range (``Rule/validate(quoting:)``).
    public init(_ entries: [(selector: Selector, rule: Rule)], name: String? = nil) throws {
        for entry in entries { try entry.rule.validate() }
        self.init(presetEntries: entries, name: name)
    }

    /// Entries whose rules are valid by construction (the presets).
    init(presetEntries entries: [(selector: Selector, rule: Rule)], name: String? = nil) {
        self.entries = entries
        self.name = name ?? entries.map { "\(Composite.describe($0.selector))=\($0.rule)" }.joined(separator: ";")
    }

    /// One rule for every weighted layer.
    /// - Throws: `LRPError` (`.parameter`) for a rule whose values are out of range.
    public static func uniform(_ rule: Rule) throws -> Composite { try Composite([(.all, rule)], name: rule.description) }

    public var description: String { name }

    /// The rule of each weighted layer of a model, indexed by node index.
    /// - Throws: `LRPError` (`.parameter`) for a range outside `1…L`, overlapping ranges, or a layer no entry
    ///   covers.
    public func rules(for model: Model) throws -> [Int: Rule] {
        let weighted = model.weightedNodeIndices.compactMap { index in
            (model.nodes[index].layer as? any LinearLayer).map { (node: index, kind: layerKind($0)) }
        }
        let count = weighted.count
        var claimedByRange = [Int: Int]()   // layer number → entry index
        for (entryIndex, entry) in entries.enumerated() {
            let numbers: ClosedRange<Int>
            switch entry.selector {
            case .layers(let range): numbers = range
            case .from(let start): numbers = start...max(start, count)
            default: continue
            }
            guard numbers.lowerBound >= 1, numbers.upperBound <= count else {
                throw LRPError(.parameter, "composite '\(name)': layers \(Composite.describe(entry.selector)) are outside 1…\(count), the model's weighted layers")
            }
            for number in numbers {
                if let other = claimedByRange.updateValue(entryIndex, forKey: number) {
                    throw LRPError(.parameter, "composite '\(name)': layer \(number) is in both \(Composite.describe(entries[other].selector)) and \(Composite.describe(entry.selector))")
                }
            }
        }
        var result: [Int: Rule] = [:]
        var firstOfKind: [LayerKind?: Int] = [:]
        for (position, layer) in weighted.enumerated() {
            firstOfKind[layer.kind] = firstOfKind[layer.kind] ?? position + 1
            firstOfKind[nil] = firstOfKind[nil] ?? position + 1
        }
        for (position, layer) in weighted.enumerated() {
            let number = position + 1
            let matching = entries.filter { entry in
                switch entry.selector {
                case .all: true
                case .kind(let kind): kind == layer.kind
                case .layers(let range): range.contains(number)
                case .from(let start): number >= start
                case .first(let kind): firstOfKind[kind] == number
                }
            }
            guard let best = matching.max(by: { $0.selector.specificity < $1.selector.specificity }) else {
                throw LRPError(.parameter, "composite '\(name)': weighted layer \(number) (node '\(model.nodes[layer.node].name)') is covered by no entry; add one or '*=RULE' for the rest")
            }
            result[layer.node] = best.rule
        }
        return result
    }

    package static func describe(_ selector: Selector) -> String {
        switch selector {
        case .all: "*"
        case .kind(let kind): kind.rawValue
        case .layers(let range): range.count == 1 ? "\(range.lowerBound)" : "\(range.lowerBound)-\(range.upperBound)"
        case .from(let start): "\(start)-"
        case .first(let kind): "first" + (kind.map { " \($0.rawValue)" } ?? "")
        }
    }

    /// Equal names and entries (the customizable closures are not compared).
    public static func == (lhs: Composite, rhs: Composite) -> Bool {
        lhs.name == rhs.name && lhs.entries.elementsEqual(rhs.entries) { $0.selector == $1.selector && $0.rule == $1.rule }
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(name) }
}
