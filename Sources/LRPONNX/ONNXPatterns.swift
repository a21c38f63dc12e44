import LRPCore

/// Recognizes the node patterns exporters write for one operation that LRP treats as one layer, and puts a
/// single node in their place:
/// - the exact GELU, `x · ½ · (1 + erf(x / √2))`, which PyTorch exports before operator set 20 as
///   `Div`/`Mul`, `Erf`, `Add`, `Mul`, `Mul` (ConvNeXt). As separate nodes its product of two computed
///   tensors would have no gate to hold constant; as one activation it passes relevance like every other.
/// - layer normalization before operator set 17: `ReduceMean`, `Sub`, `Pow`, `ReduceMean`, `Add`, `Sqrt`,
///   `Div`, optionally `Mul` by γ and `Add` of β, over trailing axes. As one layer it gets the LN rule.
struct ONNXPatterns {
    let nodes: [Onnx_NodeProto]
    /// The value of a small constant (an initializer or a `Constant` node's output), if `name` is one.
    let constant: (String) -> ONNXConstant?

    /// `nodes` with every recognized pattern replaced.
    func fused() -> [Onnx_NodeProto] {
        ONNXPatterns(nodes: fusingGELU(), constant: constant).fusingLayerNormalization()
    }

    private func scalar(_ name: String) -> Float? {
        guard let value = constant(name), value.count == 1 else { return nil }
        return Float(value.doubles[0])
    }

    /// Producers and readers of every value.
    private func links() -> (producer: [String: Int], consumers: [String: [Int]]) {
        var producer: [String: Int] = [:]
        var consumers: [String: [Int]] = [:]
        for (index, node) in nodes.enumerated() {
            for output in node.output where !output.isEmpty { producer[output] = index }
            for input in node.input where !input.isEmpty { consumers[input, default: []].append(index) }
        }
        return (producer, consumers)
    }

    /// `nodes` without `removed`, with `replacement[i]` in place of node `i`.
    private func replacing(_ removed: Set<Int>, with replacement: [Int: Onnx_NodeProto]) -> [Onnx_NodeProto] {
        guard !removed.isEmpty else { return nodes }
        return nodes.indices.compactMap { index in replacement[index] ?? (removed.contains(index) ? nil : nodes[index]) }
    }

    /// `nodes` with each GELU pattern replaced by one `Gelu` node at the place of its last node.
    private func fusingGELU() -> [Onnx_NodeProto] {
        let (producer, consumers) = links()
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
        var replaced: [Int: Onnx_NodeProto] = [:]
        var removed = Set<Int>()
        for (erfIndex, erf) in nodes.enumerated() where erf.opType == "Erf" && erf.input.count == 1 && erf.output.count == 1 {
            guard let scaledIndex = producer[erf.input[0]], only(erf.input[0]) == erfIndex,
                  let x = signal(of: nodes[scaledIndex]),
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
        return replacing(removed, with: replaced)
    }

    private func isScalar(_ name: String?, _ expected: Float) -> Bool {
        guard let name, let value = scalar(name) else { return false }
        return abs(value - expected) <= 1e-4 * abs(expected)
    }

    /// `x` of `x / √2` or `x · (1/√2)`.
    private func signal(of node: Onnx_NodeProto) -> String? {
        guard node.input.count == 2 else { return nil }
        switch node.opType {
        case "Div" where isScalar(node.input[1], Float(2).squareRoot()): return node.input[0]
        case "Mul" where isScalar(node.input[1], 1 / Float(2).squareRoot()): return node.input[0]
        case "Mul" where isScalar(node.input[0], 1 / Float(2).squareRoot()): return node.input[1]
        default: return nil
        }
    }

    /// `nodes` with each decomposed layer normalization replaced by one `LayerNormalization` node.
    private func fusingLayerNormalization() -> [Onnx_NodeProto] {
        let (producer, consumers) = links()
        func producedBy(_ value: String, _ type: String, readers: Int = 1) -> Int? {
            guard let index = producer[value], nodes[index].opType == type, consumers[value]?.count == readers else { return nil }
            return index
        }
        func other(_ node: Onnx_NodeProto, besides value: String) -> String? {
            guard node.input.count == 2, node.input.contains(value) else { return nil }
            return node.input[0] == value ? node.input[1] : node.input[0]
        }
        var replaced: [Int: Onnx_NodeProto] = [:]
        var removed = Set<Int>()
        for (divideIndex, divide) in nodes.enumerated() where divide.opType == "Div" && divide.input.count == 2 {
            let (centered, deviation) = (divide.input[0], divide.input[1])
            guard let rootIndex = producedBy(deviation, "Sqrt"),
                  let epsilonIndex = producedBy(nodes[rootIndex].input[0], "Add"),
                  let varianceName = nodes[epsilonIndex].input.first(where: { scalar($0) == nil }),
                  let epsilon = other(nodes[epsilonIndex], besides: varianceName).flatMap(scalar),
                  let varianceIndex = producedBy(varianceName, "ReduceMean"),
                  let squareIndex = producedBy(nodes[varianceIndex].input[0], "Pow"), isScalar(nodes[squareIndex].input.last, 2),
                  nodes[squareIndex].input.first == centered,
                  let subtractIndex = producedBy(centered, "Sub", readers: 2), nodes[subtractIndex].input.count == 2,
                  let meanIndex = producedBy(nodes[subtractIndex].input[1], "ReduceMean"),
                  nodes[meanIndex].input.first == nodes[subtractIndex].input[0],
                  let axes = reducedAxes(nodes[meanIndex]), axes == reducedAxes(nodes[varianceIndex]),
                  let axis = axes.first, axes == Array(axis ..< 0) else { continue }
            var pattern = [meanIndex, subtractIndex, squareIndex, varianceIndex, epsilonIndex, rootIndex, divideIndex]
            var (output, scale, bias) = (divide.output[0], "", "")
            if let readers = consumers[output], readers.count == 1, nodes[readers[0]].opType == "Mul",
               let gamma = other(nodes[readers[0]], besides: output), constant(gamma) != nil {
                pattern.append(readers[0])
                (output, scale) = (nodes[readers[0]].output[0], gamma)
                if let next = consumers[output], next.count == 1, nodes[next[0]].opType == "Add",
                   let beta = other(nodes[next[0]], besides: output), constant(beta) != nil {
                    pattern.append(next[0])
                    (output, bias) = (nodes[next[0]].output[0], beta)
                }
            }
            guard removed.isDisjoint(with: pattern) else { continue }
            var norm = Onnx_NodeProto()
            (norm.opType, norm.name) = ("LayerNormalization", divide.name.isEmpty ? output : divide.name)
            norm.input = [nodes[meanIndex].input[0], scale] + (bias.isEmpty ? [] : [bias])
            norm.output = [output]
            var axisAttribute = Onnx_AttributeProto(), epsilonAttribute = Onnx_AttributeProto()
            (axisAttribute.name, axisAttribute.type, axisAttribute.i) = ("axis", .int, Int64(axis))
            (epsilonAttribute.name, epsilonAttribute.type, epsilonAttribute.f) = ("epsilon", .float, epsilon)
            norm.attribute = [axisAttribute, epsilonAttribute]
            removed.formUnion(pattern)
            replaced[pattern.max()!] = norm
        }
        return replacing(removed, with: replaced)
    }

    /// The axes a `ReduceMean` that keeps its dimensions reduces (attribute, or second input from operator set
    /// 18), when all are negative: counted from the end, they are the same for any rank.
    private func reducedAxes(_ node: Onnx_NodeProto) -> [Int]? {
        guard !node.attribute.contains(where: { $0.name == "keepdims" && $0.i == 0 }) else { return nil }
        let axes = node.attribute.first { $0.name == "axes" }.map { $0.ints } ?? (node.input.count > 1 ? constant(node.input[1])?.integers : nil)
        guard let axes, !axes.isEmpty, axes.allSatisfy({ $0 < 0 && $0 >= -8 }) else { return nil }
        return axes.map { Int($0) }.sorted()
    }
}
