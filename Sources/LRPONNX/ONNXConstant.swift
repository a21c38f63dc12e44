import Foundation
import LRPCore

/// A tensor whose value is known when the model is imported: an initializer or a `Constant` node's output.
/// Floating-point data is kept as Float (weights), integer data as Int64 (shapes, axes).
struct ONNXConstant {
    let shape: [Int]
    let floats: [Float]
    let integers: [Int64]

    var count: Int { shape.reduce(1, *) }

    static func floats(_ values: [Float], shape: [Int]) -> ONNXConstant { ONNXConstant(shape: shape, floats: values, integers: []) }
    static func integers(_ values: [Int64], shape: [Int]) -> ONNXConstant { ONNXConstant(shape: shape, floats: [], integers: values) }

    /// Whether the values are integers (shapes, axes, indices); an empty tensor counts as integer.
    var isInteger: Bool { floats.isEmpty }

    /// The values as doubles, whatever their type.
    var doubles: [Double] { isInteger ? integers.map(Double.init) : floats.map(Double.init) }

    func tensor() throws -> Tensor {
        try Tensor(shape: shape, scalars: isInteger ? integers.map(Float.init) : floats)
    }

    /// The same values with another shape of as many elements.
    func reshaped(_ newShape: [Int]) -> ONNXConstant { ONNXConstant(shape: newShape, floats: floats, integers: integers) }

    /// The elements at the flat indices `sources`, as a tensor of `shape`.
    func picking(_ sources: [Int], shape: [Int]) -> ONNXConstant {
        isInteger ? .integers(sources.map { integers[$0] }, shape: shape) : .floats(sources.map { floats[$0] }, shape: shape)
    }

    /// `value` rounded toward zero into Int64's range (NaN to 0), as a cast of a float constant.
    static func saturatingInteger(_ value: Float) -> Int64 {
        guard !value.isNaN else { return 0 }
        if value >= 9.2e18 { return .max }
        if value <= -9.2e18 { return .min }
        return Int64(value)
    }
}

/// Decodes `TensorProto`s: data in `raw_data`, in the typed fields, or in an external file beside the model.
struct ONNXTensorDecoder {
    /// The folder the model file is in; external data must lie inside it.
    let modelFolder: URL
    /// The model file, for messages.
    let source: String

    private enum ElementType { case float32, float64, int32, int64, uint8, int8, bool }

    func decode(_ proto: Onnx_TensorProto, what: String) throws -> ONNXConstant {
        let shape = try proto.dims.map { dimension -> Int in
            guard dimension >= 0, dimension <= Int64(Tensor.maximumElementCount) else {
                throw LRPError(.input, "\(source): \(what) has an invalid dimension \(dimension)")
            }
            return Int(dimension)
        }
        let count: Int
        do { count = try Tensor.elementCount(of: shape) } catch {
            throw LRPError(.input, "\(source): \(what) has dimensions \(describe(shape)), too large to hold")
        }
        let type = try elementType(proto, what: what)
        let size = byteSize(type)
        if proto.dataLocation == .external {
            let bytes = try externalBytes(proto, expected: count * size, what: what)
            return try fromRaw(bytes, type: type, shape: shape, count: count, what: what)
        }
        if proto.hasRawData {
            guard proto.rawData.count == count * size else {
                throw LRPError(.input, "\(source): \(what) has dimensions \(describe(shape)) needing \(count * size) bytes but stores \(proto.rawData.count)")
            }
            return try fromRaw(proto.rawData, type: type, shape: shape, count: count, what: what)
        }
        let stored: Int
        switch type {
        case .float32: stored = proto.floatData.count
        case .float64: stored = proto.doubleData.count
        case .int64: stored = proto.int64Data.count
        case .int32, .uint8, .int8, .bool: stored = proto.int32Data.count
        }
        guard stored == count else {
            throw LRPError(.input, "\(source): \(what) has dimensions \(describe(shape)) (\(count) values) but stores \(stored)")
        }
        switch type {
        case .float32: return ONNXConstant(shape: shape, floats: proto.floatData, integers: [])
        case .float64: return ONNXConstant(shape: shape, floats: proto.doubleData.map(Float.init), integers: [])
        case .int64: return ONNXConstant(shape: shape, floats: [], integers: proto.int64Data)
        case .int32, .uint8, .int8, .bool: return ONNXConstant(shape: shape, floats: [], integers: proto.int32Data.map(Int64.init))
        }
    }

    private func elementType(_ proto: Onnx_TensorProto, what: String) throws -> ElementType {
        switch proto.dataType {
        case 1: return .float32
        case 11: return .float64
        case 6: return .int32
        case 7: return .int64
        case 2: return .uint8
        case 3: return .int8
        case 9: return .bool
        default:
            throw LRPError(.unsupported, "\(source): \(what) has ONNX data type \(proto.dataType); supported are float, double, int8, uint8, int32, int64 and bool")
        }
    }

    private func byteSize(_ type: ElementType) -> Int {
        switch type {
        case .uint8, .int8, .bool: 1
        case .float32, .int32: 4
        case .float64, .int64: 8
        }
    }

    private func fromRaw(_ bytes: Data, type: ElementType, shape: [Int], count: Int, what: String) throws -> ONNXConstant {
        bytes.withUnsafeBytes { raw in
            switch type {
            case .float32:
                return ONNXConstant(shape: shape, floats: raw.float32s(count: count), integers: [])
            case .float64:
                return ONNXConstant(shape: shape, floats: (0..<count).map { Float(raw.float64(at: $0)) }, integers: [])
            case .int64:
                return ONNXConstant(shape: shape, floats: [], integers: (0..<count).map { raw.integer(at: $0, as: Int64.self) })
            case .int32:
                return ONNXConstant(shape: shape, floats: [], integers: (0..<count).map { Int64(raw.integer(at: $0, as: Int32.self)) })
            case .uint8, .bool:
                return ONNXConstant(shape: shape, floats: [], integers: (0..<count).map { Int64(raw[$0]) })
            case .int8:
                return ONNXConstant(shape: shape, floats: [], integers: (0..<count).map { Int64(Int8(bitPattern: raw[$0])) })
            }
        }
    }

    /// Reads an external tensor's bytes after checking that its file lies inside the model's folder, is a
    /// regular file and holds the bytes the tensor needs (offset + length checked for overflow).
    private func externalBytes(_ proto: Onnx_TensorProto, expected: Int, what: String) throws -> Data {
        let entries = Dictionary(proto.externalData.map { ($0.key, $0.value) }, uniquingKeysWith: { first, _ in first })
        guard let location = entries["location"], !location.isEmpty else {
            throw LRPError(.input, "\(source): \(what) is stored externally but names no location")
        }
        let folder = modelFolder.standardizedFileURL.resolvingSymlinksInPath()
        let file = folder.appendingPathComponent(location).standardizedFileURL.resolvingSymlinksInPath()
        guard !location.hasPrefix("/"), file.path.hasPrefix(folder.path + "/") else {
            throw LRPError(.input, "\(source): \(what) has external data location '\(printable(location))' outside the model's folder")
        }
        guard let offset = Int(entries["offset"] ?? "0"), offset >= 0,
              let length = Int(entries["length"] ?? String(expected)), length >= 0 else {
            throw LRPError(.input, "\(source): \(what) has an invalid external data offset or length")
        }
        guard length == expected else {
            throw LRPError(.input, "\(source): \(what) has external data of \(length) bytes, its dimensions need \(expected)")
        }
        guard FileManager.default.fileExists(atPath: file.path) else {
            throw LRPError(.input, "\(source): \(what) needs the external data file \(file.path), which is missing")
        }
        do {
            // a regular file only (no FIFO or device), its size checked before the bytes are read
            return try FileAccess.read(file, offset: offset, count: length)
        } catch let error as LRPError {
            throw LRPError(.input, "\(source): \(what): external data \(error.message)")
        }
    }
}
