/// What a recorded forward pass kept: the input and every node's output and routing indices.
/// Backward walks (gradients, LRP) read it; values are shared with the forward pass, not copied.
public struct ForwardTrace: Sendable {
    /// The model input the trace was recorded for.
    public let input: Tensor
    /// One record per node, in the model's node order.
    public let records: [LayerRecord]
    let outputSlot: Int

    /// The model's output.
    public var output: Tensor { records[outputSlot - 1].output }

    /// The value at a slot: 0 the input, `i + 1` node `i`'s output.
    func value(at slot: Int) -> Tensor? {
        slot == 0 ? input : (slot - 1 < records.count ? records[slot - 1].output : nil)
    }

    /// The tensors node `index` read.
    func inputs(of index: Int, in model: Model) -> [Tensor] {
        model.inputSlots[index].map { value(at: $0)! }
    }
}
