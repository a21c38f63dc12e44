/// How relevance crosses a layer without weights.
public enum WeightlessRule: Sendable, Hashable {
    /// Unchanged (activations, batch normalization and constant scale-and-shift that are not merged into a
    /// weighted layer).
    case pass
    /// By the layer's gradient: max pooling's winner takes all; reshapes, transposes, slices, pads,
    /// concatenations and identities move relevance along.
    case gradient
    /// The ε rule with the layer's own forward (ε = 1e-6): each input receives relevance in proportion to
    /// its contribution (average pooling, mean over height and width, residual addition). A
    /// ``LocallyLinearLayer`` (a gated product, layer normalization) holds its data-dependent factors constant.
    case norm

    /// Zennit's base layer map, by layer type, extended to the layers Zennit leaves to the gradient.
    public static func standard(for layer: any Layer) -> WeightlessRule {
        switch layer {
        case is ReLU, is BatchNormalization, is PointwiseActivation, is ScaleShift: .pass
        case is AveragePooling2D, is GlobalAveragePooling, is Addition, is LocallyLinearLayer: .norm
        default: .gradient
        }
    }
}
