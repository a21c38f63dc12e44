/// How relevance crosses a layer without weights.
public enum WeightlessRule: Sendable, Hashable {
    /// Unchanged (activations, batch normalisation that is not merged into a weighted layer).
    case pass
    /// By the layer's gradient: max pooling's winner takes all; reshapes, transposes and identities move
    /// relevance along.
    case gradient
    /// The ε rule with the layer's own forward (ε = 1e-6): each input receives relevance in proportion to
    /// its contribution (average pooling, mean over height and width, residual addition).
    case norm

    /// Zennit's base layer map, by layer type.
    public static func standard(for layer: any Layer) -> WeightlessRule {
        switch layer {
        case is ReLU, is BatchNormalization: .pass
        case is AveragePooling2D, is GlobalAveragePooling, is Addition: .norm
        default: .gradient
        }
    }
}
