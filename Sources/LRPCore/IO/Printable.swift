/// Text taken from a file, made safe to quote in a one-line message: control and other non-printing
/// characters are escaped as Swift writes them (`\n`, `\u{1B}`), and text longer than `limit` characters is
/// cut short with `…`. Bytes that are not UTF-8 have already become `�` when the text was decoded.
///
/// ```swift
/// printable("conv\n1\u{1B}[2J")   // "conv\\n1\\u{1B}[2J"
/// ```
package func printable<S: StringProtocol>(_ text: S, limit: Int = 100) -> String {
    var result = ""
    for (count, scalar) in text.unicodeScalars.enumerated() {
        guard count < limit else { return result + "…" }
        switch scalar.properties.generalCategory {
        case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .surrogate, .privateUse:
            result += scalar.escaped(asASCII: true)
        default:
            result.unicodeScalars.append(scalar)
        }
    }
    return result
}
