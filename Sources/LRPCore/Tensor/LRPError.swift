import Foundation

/// The one error type the library throws: what went wrong, in a sentence that names the layer, node,
/// file or parameter involved and the shapes or values at fault. Its `localizedDescription` is that sentence.
///
/// ```swift
/// do { _ = try Tensor(shape: [2, 3], scalars: [1, 2]) }
/// catch { print(error.localizedDescription) }   // "tensor: shape [2, 3] needs 6 scalars, got 2"
/// ```
public struct LRPError: LocalizedError, Sendable, Equatable, CustomStringConvertible {
    /// The broad category, for callers that react differently (a command line maps them to exit codes).
    public enum Kind: Sendable, Equatable {
        /// Tensor shapes that do not fit the operation.
        case shape
        /// A parameter that is out of range or inconsistent (a stride of 0, a negative ε).
        case parameter
        /// Input data that cannot be read or is not valid (a truncated file, a non-finite value).
        case input
        /// A model or batch that needs more memory than the limit it was given (``MemoryLimit``).
        case memoryLimit
        /// A result that cannot be written (a missing folder, a full disk, a compressor's failure).
        case output
        /// Something valid that this library does not implement (an unknown ONNX operator).
        case unsupported
        /// A numerical failure during computation (non-finite relevance).
        case numerical
    }

    public let kind: Kind
    public let message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }

    /// The message, for `localizedDescription`.
    public var errorDescription: String? { message }

    /// The same error with `context` (a node, a file) put in front of its message.
    public func prefixed(_ context: String) -> LRPError {
        LRPError(kind, "\(context): \(message)")
    }
}

/// Formats a shape as `[1, 3, 32, 32]` for messages.
package func describe(_ shape: [Int]) -> String {
    "[" + shape.map(String.init).joined(separator: ", ") + "]"
}
