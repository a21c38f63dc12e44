/// Requests the explorer refuses for reasons other than a bad specification (those are `LRPError`s).
public enum ExplorerError: Error, Sendable, Equatable, CustomStringConvertible {
    /// An input index outside `0..<count`.
    case unknownInput(Int, count: Int)
    /// A query parameter that is missing or malformed.
    case badParameter(String, String)

    public var description: String {
        switch self {
        case .unknownInput(let index, let count): "no input \(index): the inputs are 0…\(count - 1)"
        case .badParameter(let name, let problem): "'\(name)': \(problem)"
        }
    }
}
