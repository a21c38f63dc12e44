import Foundation

/// Numbers stored in bytes, as binary formats (`.npy`, ONNX's raw tensors) keep them: fixed width, either byte
/// order, at any alignment. Inlinable, since the formats' readers in other modules call them per element.
extension UnsafeRawBufferPointer {
    /// The `index`-th value of type `T` (little-endian unless `bigEndian`).
    @inlinable @inline(__always)
    package func integer<T: FixedWidthInteger>(at index: Int, as _: T.Type, bigEndian: Bool = false) -> T {
        let value = loadUnaligned(fromByteOffset: index &* MemoryLayout<T>.size, as: T.self)
        return bigEndian ? T(bigEndian: value) : T(littleEndian: value)
    }

    /// The `index`-th IEEE 754 single (little-endian unless `bigEndian`).
    @inlinable @inline(__always)
    package func float32(at index: Int, bigEndian: Bool = false) -> Float {
        Float(bitPattern: integer(at: index, as: UInt32.self, bigEndian: bigEndian))
    }

    /// The `index`-th IEEE 754 double (little-endian unless `bigEndian`).
    @inlinable @inline(__always)
    package func float64(at index: Int, bigEndian: Bool = false) -> Double {
        Double(bitPattern: integer(at: index, as: UInt64.self, bigEndian: bigEndian))
    }

    /// The first `count` IEEE 754 singles: copied as they are where the byte order is the machine's, else
    /// element by element.
    package func float32s(count: Int, bigEndian: Bool = false) -> [Float] {
        assert(count * MemoryLayout<Float>.size <= self.count, "float32s: \(count) values asked of \(self.count) bytes")
        guard bigEndian == (1.bigEndian == 1) else { return (0..<count).map { float32(at: $0, bigEndian: bigEndian) } }
        return [Float](unsafeUninitializedCapacity: count) { values, initialized in
            if count > 0 { UnsafeMutableRawPointer(values.baseAddress!).copyMemory(from: baseAddress!, byteCount: count * MemoryLayout<Float>.size) }
            initialized = count
        }
    }
}

/// A cursor over bytes that refuses to read past the end.
package struct ByteReader {
    let data: Data
    package let source: String
    package private(set) var offset: Int

    package init(_ data: Data, source: String) {
        (self.data, self.source, self.offset) = (data, source, data.startIndex)
    }

    package var remaining: Int { data.endIndex - offset }

    package mutating func bytes(_ count: Int, _ what: String) throws -> Data {
        guard count >= 0, count <= remaining else {
            throw LRPError(.input, "\(source): truncated: \(what) needs \(count) bytes, \(remaining) left")
        }
        defer { offset += count }
        return data[offset ..< offset + count]
    }

    package mutating func uint8(_ what: String) throws -> UInt8 { try bytes(1, what).first! }

    package mutating func uint16LittleEndian(_ what: String) throws -> Int {
        let b = try bytes(2, what)
        return Int(b[b.startIndex]) | Int(b[b.startIndex + 1]) << 8
    }

    package mutating func uint32(_ what: String, bigEndian: Bool) throws -> Int {
        let b = Array(try bytes(4, what))
        let ordered = bigEndian ? b : b.reversed()
        return ordered.reduce(0) { $0 << 8 | Int($1) }
    }
}
