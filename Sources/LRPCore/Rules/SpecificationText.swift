import Foundation

/// The small text forms that rule, composite, method and option specifications share.
extension StringProtocol {
    /// The part before the first `separator` and the rest after it (`nil` without a separator).
    package func splitOnce(_ separator: Character) -> (String, String?) {
        guard let index = firstIndex(of: separator) else { return (String(self), nil) }
        return (String(self[..<index]), String(self[self.index(after: index)...]))
    }

    /// The finite numbers separated by `separator` (`"0.5, 1"`; blanks around each allowed), or the first part
    /// that is not one as the error.
    package func numbers(separatedBy separator: Character = ",") -> Result<[Float], NotANumber> {
        var values: [Float] = []
        for part in split(separator: separator, omittingEmptySubsequences: false) {
            let text = part.trimmingCharacters(in: .whitespaces)
            guard let value = Float(text), value.isFinite else { return .failure(NotANumber(text: text)) }
            values.append(value)
        }
        return .success(values)
    }
}

/// A part of a number list that is not a finite number.
package struct NotANumber: Error {
    package let text: String
}
