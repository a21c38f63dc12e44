import Synchronization

/// The Winograd transforms of one convolution's own weight, made on first use and kept: a layer's weight
/// never changes, so an explainer's forward and transposed products over many chunks transform it once
/// instead of once per call. Copies of a layer share it; a layer with other parameters gets its own.
///
/// F(2,3) needs one transform for both directions (see ``Winograd/flipsByPermutation``), F(4,3) one per
/// direction. Each takes `α²/9` of the weight's memory: 1.8× for F(2,3), 4× for F(4,3).
final class WinogradWeightCache: Sendable {
    private let transforms = Mutex<[Key: [Float]]>([:])

    private struct Key: Hashable {
        let tile: Int
        let flipped: Bool
    }

    /// The transform for `tile` (of the flipped kernels with `flipped`), made by `make` if not yet kept.
    func transform(tile: Int, flipped: Bool, make: () -> [Float]) -> [Float] {
        transforms.withLock { kept in
            let key = Key(tile: tile, flipped: flipped)
            if let transform = kept[key] { return transform }
            let transform = make()
            kept[key] = transform
            return transform
        }
    }
}
