import Foundation

extension Composite {
    /// Parses a composite specification: a preset (`epsilon-plus`, `epsilon-plus-flat`, `epsilon-alpha2-beta1`,
    /// `epsilon-alpha2-beta1-flat`, `epsilon-gamma-box:L,H`), or `;`-separated entries `SELECTOR=RULE` where
    /// the selector is a weighted-layer number `A`, a range `A-B`, an open range `A-`, a kind `conv` or
    /// `dense`, `first`, or `*` for the rest.
    /// - Throws: `LRPError` (`.parameter`) quoting the offending part.
    public init(spec: String) throws {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        let (head, argument) = trimmed.splitOnce(":")
        switch head {
        case "epsilon-plus", "epsilon-plus-flat", "epsilon-alpha2-beta1", "epsilon-alpha2-beta1-flat":
            guard argument == nil else { throw LRPError(.parameter, "composite '\(trimmed)': the preset '\(head)' takes no parameters") }
            self = [Composite.epsilonPlus, .epsilonPlusFlat, .epsilonAlpha2Beta1, .epsilonAlpha2Beta1Flat].first { $0.name == head }!
            return
        case "epsilon-gamma-box":
            guard let argument else { throw LRPError(.parameter, "composite '\(trimmed)': epsilon-gamma-box needs the input bounds, e.g. epsilon-gamma-box:0,255") }
            let bounds = try Rule.boxBounds(argument, spec: trimmed)
            try Rule.box(low: bounds.low, high: bounds.high).validate(quoting: trimmed)
            self = try Composite.epsilonGammaBox(lowPerChannel: bounds.low, highPerChannel: bounds.high)
            return
        default:
            break
        }
        guard trimmed.contains("=") else {
            // a bare rule is that rule on every weighted layer, as AttributionMethod(spec:) reads it
            guard let rule = try? Rule(spec: trimmed) else {
                throw LRPError(.parameter, "composite '\(trimmed)': neither a preset (\(Composite.presetNames.joined(separator: ", "))), a rule, nor SELECTOR=RULE entries")
            }
            self = try Composite.uniform(rule)
            return
        }
        let entries = try trimmed.split(separator: ";").map { part -> (selector: Selector, rule: Rule) in
            let entry = part.trimmingCharacters(in: .whitespaces)
            let (selectorText, ruleText) = entry.splitOnce("=")
            guard let ruleText, !ruleText.isEmpty else { throw LRPError(.parameter, "composite entry '\(entry)': needs SELECTOR=RULE") }
            return (try Composite.selector(selectorText.trimmingCharacters(in: .whitespaces), entry: entry), try Rule(spec: ruleText))
        }
        try self.init(entries, name: trimmed)
    }

    private static func selector(_ text: String, entry: String) throws -> Selector {
        func number(_ part: Substring) throws -> Int {
            guard let value = Int(part.trimmingCharacters(in: .whitespaces)), value >= 1 else {
                throw LRPError(.parameter, "composite entry '\(entry)': '\(part)' is not a layer number (1, 2, …)")
            }
            return value
        }
        switch text {
        case "*": return .all
        case "conv": return .kind(.convolution)
        case "dense": return .kind(.dense)
        case "first": return .first(nil)
        default: break
        }
        let bounds = text.split(separator: "-", omittingEmptySubsequences: false)
        switch bounds.count {
        case 1: return .layers(try number(bounds[0]) ... (try number(bounds[0])))
        case 2 where bounds[1].isEmpty: return .from(try number(bounds[0]))
        case 2:
            let (low, high) = (try number(bounds[0]), try number(bounds[1]))
            guard low <= high else { throw LRPError(.parameter, "composite entry '\(entry)': range \(low)-\(high) is empty") }
            return .layers(low...high)
        default:
            throw LRPError(.parameter, "composite entry '\(entry)': '\(text)' is not a selector (A, A-B, A-, conv, dense, first, *)")
        }
    }
}
