import Foundation
import LRPCore

/// NumPy's `.npy` format, versions 1–3: read float32, float64, uint8, int32 and int64 arrays in either byte
/// order; write float32 (or any of those types, for round trips).
///
/// ```swift
/// let images = try NPY.read(URL(fileURLWithPath: "batch.npy"))          // Tensor, values as stored
/// try NPY.write(relevance, to: URL(fileURLWithPath: "relevance.npy"))   // float32, little-endian
/// ```
public enum NPY {
    /// The element types this library reads and writes.
    public enum ScalarType: String, Sendable, CaseIterable {
        case float32 = "f4", float64 = "f8", uint8 = "u1", int32 = "i4", int64 = "i8"

        var size: Int {
            switch self {
            case .uint8: 1
            case .float32, .int32: 4
            case .float64, .int64: 8
            }
        }
    }

    /// A decoded array: its shape, element type and values converted to Float.
    public struct Decoded: Sendable {
        public let tensor: Tensor
        public let scalarType: ScalarType
    }

    /// Reads a `.npy` file as a Float32 tensor (values converted, not rescaled).
    public static func read(_ url: URL) throws -> Tensor {
        try decode(FileAccess.read(url), source: url.path).tensor
    }

    /// Writes a tensor atomically as `.npy` (float32 little-endian by default).
    public static func write(_ tensor: Tensor, to url: URL, as type: ScalarType = .float32, bigEndian: Bool = false) throws {
        try FileAccess.writeAtomically(encode(tensor, as: type, bigEndian: bigEndian), to: url)
    }

    /// Decodes `.npy` bytes; `source` names the file in messages.
    /// - Throws: `LRPError` (`.input`) for a bad magic or header, an unsupported type or Fortran order, or a
    ///   data length that does not match the shape (checked before anything is allocated).
    public static func decode(_ data: Data, source: String) throws -> Decoded {
        var reader = ByteReader(data, source: source)
        let (type, bigEndian, shape) = try preamble(&reader)
        let count = try elementCount(shape, source: source)
        guard reader.remaining == count * type.size else {
            throw LRPError(.input, "\(source): shape \(describe(shape)) of \(type.rawValue) needs \(count * type.size) data bytes, the file has \(reader.remaining)")
        }
        let payload = try reader.bytes(count * type.size, "data")
        return Decoded(tensor: try Tensor(shape: shape, scalars: values(payload, type: type, bigEndian: bigEndian, count: count)), scalarType: type)
    }

    /// Reads the magic, version and header, leaving `reader` at the data: the element type, byte order and shape.
    static func preamble(_ reader: inout ByteReader) throws -> (ScalarType, Bool, [Int]) {
        let source = reader.source
        guard reader.remaining >= 6, try reader.bytes(6, "magic") == Data([0x93] + Array("NUMPY".utf8)) else {
            throw LRPError(.input, "\(source): not a .npy file (bad magic)")
        }
        let major = try reader.uint8("version")
        _ = try reader.uint8("version")
        let headerLength: Int
        switch major {
        case 1: headerLength = try reader.uint16LittleEndian("header length")
        case 2, 3: headerLength = try reader.uint32("header length", bigEndian: false)
        default: throw LRPError(.input, "\(source): unsupported .npy version \(major)")
        }
        guard let header = String(data: try reader.bytes(headerLength, "header"), encoding: major == 3 ? .utf8 : .isoLatin1) else {
            throw LRPError(.input, "\(source): the .npy header is not text")
        }
        return try parseHeader(header, source: source)
    }

    static func elementCount(_ shape: [Int], source: String) throws -> Int {
        do { return try Tensor.elementCount(of: shape) } catch {
            throw LRPError(.input, "\(source): shape \(describe(shape)) is not a valid tensor shape")
        }
    }

    /// Stored elements converted to Float.
    static func values(_ payload: Data, type: ScalarType, bigEndian: Bool, count: Int) -> [Float] {
        payload.withUnsafeBytes { raw in convert(raw, type: type, bigEndian: bigEndian, count: count) }
    }

    /// Encodes a tensor as `.npy` version 1.0 bytes.
    public static func encode(_ tensor: Tensor, as type: ScalarType = .float32, bigEndian: Bool = false) throws -> Data {
        var data = try header(for: tensor.shape, as: type, bigEndian: bigEndian)
        data.reserveCapacity(data.count + tensor.count * type.size)
        for value in tensor.scalars { try append(value, as: type, bigEndian: bigEndian, to: &data) }
        return data
    }

    /// The magic, version 1.0 and header of an array of `shape`, padded so the data starts at a multiple of 64.
    static func header(for shape: [Int], as type: ScalarType, bigEndian: Bool = false) throws -> Data {
        let shapeText = shape.count == 1 ? "(\(shape[0]),)" : "(" + shape.map(String.init).joined(separator: ", ") + ")"
        let order = type == .uint8 ? "|" : (bigEndian ? ">" : "<")
        var header = "{'descr': '\(order)\(type.rawValue)', 'fortran_order': False, 'shape': \(shapeText), }"
        let unpadded = 10 + header.utf8.count + 1
        header += String(repeating: " ", count: (64 - unpadded % 64) % 64) + "\n"
        guard header.utf8.count <= Int(UInt16.max) else {
            throw LRPError(.parameter, "npy: shape \(describe(shape)) makes too long a header")
        }
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0, UInt8(header.utf8.count & 0xFF), UInt8(header.utf8.count >> 8)])
        data.append(contentsOf: Array(header.utf8))
        return data
    }

    /// Parses the Python dict literal `{'descr': '<f4', 'fortran_order': False, 'shape': (2, 3), }`.
    private static func parseHeader(_ header: String, source: String) throws -> (ScalarType, Bool, [Int]) {
        func value(of key: String) -> Substring? {
            guard let keyRange = header.range(of: "'\(key)'") ?? header.range(of: "\"\(key)\""),
                  let colon = header[keyRange.upperBound...].firstIndex(of: ":") else { return nil }
            return header[header.index(after: colon)...].drop { $0 == " " }
        }
        guard let descrValue = value(of: "descr"), let quote = descrValue.first, quote == "'" || quote == "\"",
              let descrEnd = descrValue.dropFirst().firstIndex(of: quote) else {
            throw LRPError(.input, "\(source): bad .npy header (no 'descr'): \(header.prefix(80))")
        }
        let descr = descrValue[descrValue.index(after: descrValue.startIndex) ..< descrEnd]
        let byteOrder = descr.first ?? "?"
        guard "<>|=".contains(byteOrder), let type = ScalarType(rawValue: String(descr.dropFirst())) else {
            throw LRPError(.input, "\(source): unsupported .npy dtype '\(printable(descr))' (supported: float32, float64, uint8, int32, int64)")
        }
        guard let fortran = value(of: "fortran_order") else {
            throw LRPError(.input, "\(source): bad .npy header (no 'fortran_order')")
        }
        guard fortran.hasPrefix("False") else {
            throw LRPError(.input, "\(source): Fortran-ordered .npy arrays are not supported; save with numpy.ascontiguousarray")
        }
        guard let shapeValue = value(of: "shape"), shapeValue.first == "(", let close = shapeValue.firstIndex(of: ")") else {
            throw LRPError(.input, "\(source): bad .npy header (no 'shape')")
        }
        let parts = shapeValue[shapeValue.index(after: shapeValue.startIndex) ..< close]
            .split(separator: ",").map { $0.trimmingCharacters(in: .whitespaces) }.filter { !$0.isEmpty }
        let shape = try parts.map { part -> Int in
            guard let dimension = Int(part), dimension >= 0 else {
                throw LRPError(.input, "\(source): bad .npy shape entry '\(printable(part))'")
            }
            return dimension
        }
        return (type, byteOrder == ">", shape)
    }

    private static func convert(_ raw: UnsafeRawBufferPointer, type: ScalarType, bigEndian: Bool, count: Int) -> [Float] {
        switch type {
        case .float32: raw.float32s(count: count, bigEndian: bigEndian)
        case .uint8: (0..<count).map { Float(raw[$0]) }
        case .float64: (0..<count).map { Float(raw.float64(at: $0, bigEndian: bigEndian)) }
        case .int32: (0..<count).map { Float(raw.integer(at: $0, as: Int32.self, bigEndian: bigEndian)) }
        case .int64: (0..<count).map { Float(raw.integer(at: $0, as: Int64.self, bigEndian: bigEndian)) }
        }
    }

    /// Appends one value; integer types take only integral values in range.
    private static func append(_ value: Float, as type: ScalarType, bigEndian: Bool, to data: inout Data) throws {
        func bytes<T: FixedWidthInteger>(_ pattern: T) {
            withUnsafeBytes(of: bigEndian ? pattern.bigEndian : pattern.littleEndian) { data.append(contentsOf: $0) }
        }
        func integer<T: FixedWidthInteger>(_: T.Type) throws -> T {
            guard let exact = T(exactly: value) else {
                throw LRPError(.parameter, "npy: \(value) cannot be stored as \(type.rawValue)")
            }
            return exact
        }
        switch type {
        case .uint8: data.append(try integer(UInt8.self))
        case .float32: bytes(value.bitPattern)
        case .float64: bytes(Double(value).bitPattern)
        case .int32: bytes(UInt32(bitPattern: try integer(Int32.self)))
        case .int64: bytes(UInt64(bitPattern: try integer(Int64.self)))
        }
    }
}
