import Foundation
import LRPCore

/// A `.npy` file for reading a few rows (entries of the first axis) at a time, so that datasets larger than
/// memory stream: only the header is read up front, and checked against the file's size. Each read opens the
/// file anew, so one value serves several threads.
///
/// ```swift
/// let file = try NPYFile(url: URL(fileURLWithPath: "relevance.npy"))
/// print(file.shape)                           // [50000, 3, 32, 32]
/// let first = try file.rows(0 ..< 64)         // Tensor [64, 3, 32, 32]
/// ```
public struct NPYFile: Sendable {
    public let url: URL
    public let shape: [Int]
    public let scalarType: NPY.ScalarType
    private let bigEndian: Bool
    private let dataOffset: Int

    /// - Throws: `LRPError` (`.input`) naming the file: missing, not a `.npy` file, a rank-0 array, or a size
    ///   that does not match the header's shape.
    public init(url: URL) throws {
        self.url = url
        let size = try FileAccess.size(of: url)
        // a header is at most a few hundred bytes; 64 KiB covers any that numpy writes
        let prefix = try FileAccess.read(url, offset: 0, count: min(size, 65_536))
        var reader = ByteReader(prefix, source: url.path)
        (scalarType, bigEndian, shape) = try NPY.preamble(&reader)
        dataOffset = reader.offset - prefix.startIndex
        let count = try NPY.elementCount(shape, source: url.path)
        guard !shape.isEmpty else { throw LRPError(.input, "\(url.path): holds a single value, not rows") }
        guard size - dataOffset == count * scalarType.size else {
            throw LRPError(.input, "\(url.path): shape \(describe(shape)) of \(scalarType.rawValue) needs \(count * scalarType.size) data bytes, the file has \(size - dataOffset)")
        }
    }

    /// The number of rows (the first dimension).
    public var rowCount: Int { shape[0] }

    /// Rows `range` as a Float32 tensor of shape `[range.count] + shape.dropFirst()`.
    /// - Throws: `LRPError` (`.input`) for rows outside the file or a failed read.
    public func rows(_ range: Range<Int>) throws -> Tensor {
        guard range.lowerBound >= 0, range.upperBound <= rowCount else {
            throw LRPError(.input, "\(url.path): rows \(range.lowerBound)..<\(range.upperBound) are outside its \(rowCount) rows")
        }
        let rowElements = shape.dropFirst().reduce(1, *)
        let count = range.count * rowElements
        let payload = try FileAccess.read(url, offset: dataOffset + range.lowerBound * rowElements * scalarType.size, count: count * scalarType.size)
        return try Tensor(shape: [range.count] + shape.dropFirst(), scalars: NPY.values(payload, type: scalarType, bigEndian: bigEndian, count: count))
    }
}
