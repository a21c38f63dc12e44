/// A table of a model's nodes: shapes, parameters, FLOPs, and the numbers of the weighted layers that
/// composites refer to.
///
/// ```swift
/// let summary = ModelSummary(model)
/// print(summary.totalFLOPs, summary.rows.compactMap(\.weightedLayerNumber))
/// ```
public struct ModelSummary: Sendable {
    public struct Row: Sendable {
        public let name: String
        public let operatorName: String
        /// The output shape for a batch of one.
        public let outputShape: [Int]
        /// The layer's parameters in words.
        public let details: String
        /// Number of weights and biases.
        public let parameterCount: Int
        /// FLOPs for one sample.
        public let flops: Int
        /// 1-based number among the weighted layers (convolution, dense), nearest the input first.
        public let weightedLayerNumber: Int?
    }

    public let rows: [Row]

    /// The sum of the rows' FLOPs; `Int.max` when it does not fit.
    public var totalFLOPs: Int { rows.reduce(0) { total, row in total.addingReportingOverflow(row.flops).overflow ? .max : total + row.flops } }
    public var totalParameters: Int { rows.reduce(0) { $0 + $1.parameterCount } }

    public init(_ model: Model) {
        let weighted = model.weightedNodeIndices
        rows = model.nodes.indices.map { index in
            let node = model.nodes[index]
            let inputShapes = model.inputSlots[index].map { model.valueShapes[$0] }
            let output = model.valueShapes[index + 1]
            return Row(name: node.name, operatorName: node.layer.operatorName, outputShape: output,
                       details: node.layer.summary, parameterCount: ModelSummary.parameters(of: node.layer),
                       flops: node.layer.flops(inputShapes: inputShapes, outputShape: output),
                       weightedLayerNumber: weighted.firstIndex(of: index).map { $0 + 1 })
        }
    }

    private static func parameters(of layer: any Layer) -> Int {
        switch layer {
        case let linear as any LinearLayer: linear.weight.count + (linear.bias?.count ?? 0)
        case let norm as BatchNormalization: 4 * norm.channels
        default: 0
        }
    }
}
