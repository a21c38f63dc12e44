/// Recognises the node patterns exporters write for one operation that LRP treats as one layer, and puts a
/// single node in their place. Today: the exact GELU, `x · ½ · (1 + erf(x / √2))`, which PyTorch exports
/// before operator set 20 as `Div`/`Mul`, `Erf`, `Add`, `Mul`, `Mul` (ConvNeXt). As separate nodes its
/// product of two computed tensors would have no gate to hold constant; as one activation it passes
/// relevance like every other.
struct ONNXPatterns {
    let nodes: [Onnx_NodeProto]
    /// The value of a one-element constant (an initializer or a `Constant` node's output), if `name` is one.
    let scalar: (String) -> Float?

    /// `nodes` with each GELU pattern replaced by one `Gelu` node at the place of its last node.
    func fusingGELU() -> [Onnx_NodeProto] {
        var producer: [String: Int] = [:]
        var consumers: [String: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            for output in node.output where !output.isEmpty { producer[output] = index }
            for input in node.input where !input.isEmpty { consumers[input, default: []].append(index) }
        }
        func only(_ value: String) -> Int? {
            guard let readers = consumers[value], readers.count == 1 else { return nil }
            return readers[0]
        }
        /// The other input of a two-input node of type `type` that reads `value`.
        func other(_ index: Int, _ type: String, besides value: String) -> String? {
            let node = nodes[index]
            guard node.opType == type, node.input.count == 2, node.input.contains(value) else { return nil }
            return node.input[0] == value ? node.input[1] : node.input[0]
        }
        func isScalar(_ name: String?, _ expected: Float) -> Bool {
            guard let name, let value = scalar(name) else { return false }
            return abs(value - expected) <= 1e-4 * abs(expected)
        }
        var replaced: [Int: Onnx_NodeProto] = [:]
        var removed = Set<Int>()
        for (erfIndex, erf) in nodes.enumerated() where erf.opType == "Erf" && erf.input.count == 1 && erf.output.count == 1 {
            guard let scaledIndex = producer[erf.input[0]], only(erf.input[0]) == erfIndex,
                  let x = signal(of: nodes[scaledIndex], isScalar: isScalar),
                  let addIndex = only(erf.output[0]), isScalar(other(addIndex, "Add", besides: erf.output[0]), 1),
                  let productIndex = only(nodes[addIndex].output[0]),
                  let factor = other(productIndex, "Mul", besides: nodes[addIndex].output[0]) else { continue }
            let pattern: [Int], output: String
            if factor == x {   // (x · (1 + erf)) · ½
                guard let halfIndex = only(nodes[productIndex].output[0]),
                      isScalar(other(halfIndex, "Mul", besides: nodes[productIndex].output[0]), 0.5) else { continue }
                (pattern, output) = ([scaledIndex, erfIndex, addIndex, productIndex, halfIndex], nodes[halfIndex].output[0])
            } else {           // (x · ½) · (1 + erf)
                guard let halfIndex = producer[factor], only(factor) == productIndex,
                      isScalar(other(halfIndex, "Mul", besides: x), 0.5) else { continue }
                (pattern, output) = ([scaledIndex, erfIndex, addIndex, halfIndex, productIndex], nodes[productIndex].output[0])
            }
            guard removed.isDisjoint(with: pattern) else { continue }
            var gelu = Onnx_NodeProto()
            gelu.opType = "Gelu"
            gelu.name = erf.name.isEmpty ? output : erf.name
            gelu.input = [x]
            gelu.output = [output]
            removed.formUnion(pattern)
            replaced[pattern.max()!] = gelu
        }
        guard !removed.isEmpty else { return nodes }
        return nodes.indices.compactMap { index in replaced[index] ?? (removed.contains(index) ? nil : nodes[index]) }
    }

    /// `x` of `x / √2` or `x · (1/√2)`.
    private func signal(of node: Onnx_NodeProto, isScalar: (String?, Float) -> Bool) -> String? {
        guard node.input.count == 2 else { return nil }
        switch node.opType {
        case "Div" where isScalar(node.input[1], Float(2).squareRoot()): return node.input[0]
        case "Mul" where isScalar(node.input[1], 1 / Float(2).squareRoot()): return node.input[0]
        case "Mul" where isScalar(node.input[0], 1 / Float(2).squareRoot()): return node.input[1]
        default: return nil
        }
    }
}
