import Foundation

extension Rule {
    /// Parses a rule specification: `zero`, `epsilon:E`, `gamma:G`, `zplus`, `alphabeta:A,B`, `flat`,
    /// `wsquare`, `box:L,H` (`L` and `H` a number, or one number per channel separated by `/`).
    /// - Throws: `LRPError` (`.parameter`) quoting the specification: an unknown rule, a parameter that is not a
    ///   number, a negative ε or γ, α − β ≠ 1, or box bounds with `L ≥ H`.
    public init(spec: String) throws {
        let trimmed = spec.trimmingCharacters(in: .whitespaces)
        let (name, argument) = trimmed.splitOnce(":")
        func fail(_ problem: String) -> LRPError { LRPError(.parameter, "rule '\(trimmed)': \(problem)") }
        func numbers(_ text: String?, count: Int) throws -> [Float] {
            guard let text, !text.isEmpty else { throw fail("needs \(count) parameter\(count > 1 ? "s" : "") after ':'") }
            let values = try text.numbers().mapError { fail("'\($0.text)' is not a number") }.get()
            guard values.count == count else { throw fail("needs \(count) parameter\(count > 1 ? "s" : ""), got \(values.count)") }
            return values
        }
        func none() throws {
            if argument != nil { throw fail("takes no parameters") }
        }
        switch name.lowercased() {
        case "zero", "lrp0", "lrp-0": try none(); self = .zero
        case "epsilon", "eps": self = .epsilon(try numbers(argument, count: 1)[0])
        case "gamma": self = .gamma(try numbers(argument, count: 1)[0])
        case "zplus", "z+": try none(); self = .zPlus
        case "alphabeta", "alpha-beta":
            let values = try numbers(argument, count: 2)
            self = .alphaBeta(alpha: values[0], beta: values[1])
        case "flat": try none(); self = .flat
        case "wsquare", "w2", "w^2": try none(); self = .wSquare
        case "box", "zbox":
            guard let argument else { throw fail("needs the bounds L,H after ':'") }
            let bounds = try Rule.boxBounds(argument, spec: trimmed)
            self = .box(low: bounds.low, high: bounds.high)
        default:
            throw fail("unknown rule '\(name)' (rules: zero, epsilon:E, gamma:G, zplus, alphabeta:A,B, flat, wsquare, box:L,H)")
        }
        try validate(quoting: trimmed)
    }
}

extension Rule {
    /// Parses box bounds `L,H`, each a number or numbers per channel separated by `/`; `spec` is quoted in errors.
    /// Their values are checked by ``Rule/validate(quoting:)``.
    static func boxBounds(_ argument: String, spec: String) throws -> (low: [Float], high: [Float]) {
        func fail(_ problem: String) -> LRPError { LRPError(.parameter, "'\(spec)': \(problem)") }
        let bounds = argument.split(separator: ",", omittingEmptySubsequences: false)
        guard bounds.count == 2 else { throw fail("needs two bounds L,H") }
        let parsed = try bounds.map { bound in
            try bound.numbers(separatedBy: "/").mapError { fail("'\($0.text)' is not a number") }.get()
        }
        return (parsed[0], parsed[1])   // checked as a rule: Rule.validate(quoting:)
    }
}
