import Foundation

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
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue,
              let handle = FileHandle(forReadingAtPath: url.path) else {
            throw LRPError(.input, "\(url.path): no such file (or not readable)")
        }
        defer { try? handle.close() }
        let size = Int((try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)??.int64Value ?? 0)
        // a header is at most a few hundred bytes; 64 KiB covers any that numpy writes
        let prefix = try handle.read(upToCount: 65_536) ?? Data()
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
        guard let handle = FileHandle(forReadingAtPath: url.path) else { throw LRPError(.input, "\(url.path): cannot be opened") }
        defer { try? handle.close() }
        do {
            try handle.seek(toOffset: UInt64(dataOffset + range.lowerBound * rowElements * scalarType.size))
            let payload = try handle.read(upToCount: count * scalarType.size) ?? Data()
            guard payload.count == count * scalarType.size else { throw LRPError(.input, "\(url.path): truncated while reading") }
            return try Tensor(shape: [range.count] + shape.dropFirst(), scalars: NPY.values(payload, type: scalarType, bigEndian: bigEndian, count: count))
        } catch let error as LRPError {
            throw error
        } catch {
            throw LRPError(.input, "\(url.path): cannot be read (\(error.localizedDescription))")
        }
    }
}
