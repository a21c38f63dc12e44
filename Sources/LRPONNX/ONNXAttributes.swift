import LRPCore

/// Typed access to a node's attributes, with messages that name the node.
struct ONNXAttributes {
    private let attributes: [String: Onnx_AttributeProto]
    let context: String

    init(_ node: Onnx_NodeProto, context: String) {
        attributes = Dictionary(node.attribute.map { ($0.name, $0) }, uniquingKeysWith: { first, _ in first })
        self.context = context
    }

    func has(_ name: String) -> Bool { attributes[name] != nil }

    func int(_ name: String, default value: Int) throws -> Int {
        guard let attribute = attributes[name] else { return value }
        return try checked(attribute.i, name)
    }

    func float(_ name: String, default value: Float) -> Float {
        attributes[name]?.f ?? value
    }

    func ints(_ name: String) throws -> [Int]? {
        try attributes[name].map { attribute in try attribute.ints.map { try checked($0, name) } }
    }

    func string(_ name: String, default value: String) -> String {
        attributes[name].map { String(decoding: $0.s, as: UTF8.self) } ?? value
    }

    func tensor(_ name: String) -> Onnx_TensorProto? { attributes[name].flatMap { $0.hasT ? $0.t : nil } }

    func floats(_ name: String) -> [Float]? { attributes[name]?.floats }

    private func checked(_ value: Int64, _ name: String) throws -> Int {
        guard value.magnitude <= UInt64(Int32.max) else {
            throw LRPError(.input, "\(context): attribute '\(printable(name))' value \(value) is out of range")
        }
        return Int(value)
    }
}
