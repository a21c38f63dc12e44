/// Element-wise product (ONNX `Mul`) or quotient (`Div`) of a signal and a gate, two computed tensors with
/// NumPy broadcasting: squeeze-and-excitation's channel gates, SiLU's `x·σ(x)`, HardSwish's `x·hσ(x)`.
///
/// Its gradient is the true one. LRP holds the gate constant (Arras et al. 2017; Ali et al. 2022): the layer
/// is then linear in the signal, and relevance flows to the signal only (see ``LocallyLinearLayer``).
///
/// ```swift
/// let excite = try Multiplication(gateInput: 1)                   // signal [N, C, H, W] × gate [N, C, 1, 1]
/// let y = try excite.forward([features, gates]).output
/// ```
public struct Multiplication: LocallyLinearLayer {
    /// Which input (0 or 1) is the gate; the other is the signal.
    public let gateInput: Int
    /// Whether the signal is divided by the gate (`Div`, only with the gate second) instead of multiplied.
    public let dividing: Bool

    /// - Throws: `LRPError` if `gateInput` is not 0 or 1, or a quotient's gate (the divisor) is not input 1.
    public init(gateInput: Int, dividing: Bool = false) throws {
        guard gateInput == 0 || gateInput == 1, !dividing || gateInput == 1 else {
            throw LRPError(.parameter, "\(dividing ? "Div" : "Mul"): the gate must be input 0 or 1 (the divisor: input 1), got \(gateInput)")
        }
        (self.gateInput, self.dividing) = (gateInput, dividing)
    }

    public var operatorName: String { dividing ? "Div" : "Mul" }
    public var inputCount: Int { 2 }
    public var summary: String { "gate: input \(gateInput + 1)" }

    public func outputShape(for inputShapes: [[Int]]) throws -> [Int] {
        try Broadcast(inputs: inputShapes, operation: operatorName).outputShape
    }

    public func forward(_ inputs: [Tensor]) throws -> LayerRecord {
        LayerRecord(output: try Broadcast(inputs: inputs.map(\.shape), operation: operatorName).combine(inputs[0], inputs[1], dividing ? (/) : (*)))
    }

    public func inputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        var gradients = try detachedInputGradients(of: gradOutput, inputs: inputs, record: record)
        let broadcast = try Broadcast(inputs: inputs.map(\.shape), operation: operatorName)
        let signal = inputs[1 - gateInput]
        // ∂(s·g)/∂g = s, ∂(s/g)/∂g = −s/g²
        gradients[gateInput] = gradOutput.withUnsafeBufferPointer { g in
            signal.withUnsafeBufferPointer { s in
                inputs[gateInput].withUnsafeBufferPointer { gate in
                    broadcast.accumulate(into: inputs[gateInput].shape, forFirst: gateInput == 0) { output, i, j in
                        let (si, gi) = gateInput == 0 ? (j, i) : (i, j)
                        return dividing ? -g[output] * s[si] / (gate[gi] * gate[gi]) : g[output] * s[si]
                    }
                }
            }
        }
        return gradients
    }

    /// The gradient with the gate held constant: the signal's is `g ⊙ gate` (`g / gate`), the gate's zero.
    public func detachedInputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor] {
        try checkGradientShape(gradOutput, record: record)
        let broadcast = try Broadcast(inputs: inputs.map(\.shape), operation: operatorName)
        let signalInput = 1 - gateInput
        let signalGradient = gradOutput.withUnsafeBufferPointer { g in
            inputs[gateInput].withUnsafeBufferPointer { gate in
                broadcast.accumulate(into: inputs[signalInput].shape, forFirst: signalInput == 0) { output, i, j in
                    let gi = gateInput == 0 ? i : j
                    return dividing ? g[output] / gate[gi] : g[output] * gate[gi]
                }
            }
        }
        var gradients = [Tensor(zerosWithValidShape: inputs[0].shape), Tensor(zerosWithValidShape: inputs[1].shape)]
        gradients[signalInput] = signalGradient
        return gradients
    }
}

/// A layer that LRP treats as linear by holding a data-dependent factor constant: a product's gate,
/// layer normalization's mean and deviation. The Norm rule then uses ``detachedInputGradients(of:inputs:record:)``
/// in place of the true gradient, so relevance is conserved by the linearized layer (Ali et al., "XAI for
/// Transformers: Better Explanations through Conservative Propagation", 2022).
public protocol LocallyLinearLayer: Layer {
    /// The input gradients with the data-dependent factors held at their values for `inputs`.
    func detachedInputGradients(of gradOutput: Tensor, inputs: [Tensor], record: LayerRecord) throws -> [Tensor]
}
