/// A layer with a forward pass of its own for inference alone (``Model/forward(_:)``: prediction, evaluation),
/// whose output is neither recorded nor divided by: it can apply the ReLU that reads it in its last pass over
/// the output (`rectified`, one pass over the activations fewer), and a convolution can take an algorithm whose rounding
/// suits predictions but not LRP's denominators (``ConvolutionProduct/inference``).
protocol InferenceLayer: Layer {
    /// The output for `inputs` (as many as ``Layer/inputCount``, which the model checks), and with `rectified`
    /// `max(output, 0)` as ``ReLU``: equal to `forward(inputs).output` up to the algorithm's rounding.
    func inferenceOutput(_ inputs: [Tensor], rectified: Bool) throws -> Tensor
}

/// A one-input ``InferenceLayer``.
protocol UnaryInferenceLayer: UnaryLayer, InferenceLayer {
    /// The output for `input`, and with `rectified` `max(output, 0)`.
    func inferenceOutput(_ input: Tensor, rectified: Bool) throws -> Tensor
}

extension UnaryInferenceLayer {
    func inferenceOutput(_ inputs: [Tensor], rectified: Bool) throws -> Tensor {
        try inferenceOutput(inputs[0], rectified: rectified)
    }
}
