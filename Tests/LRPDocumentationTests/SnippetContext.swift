import Foundation
import LRP
import LRPExplorer

/// The values the documentation's fragments use without declaring them, each name with one type. Every
/// generated fragment is a method of this type, so a fragment's own declarations shadow these. It is never
/// instantiated: the snippets are compiled, not run.
struct SnippetContext {
    let images: Tensor, logits: Tensor, relevance: Tensor, x: Tensor, a: Tensor, b: Tensor, s: Tensor, w: Tensor
    let mean: Tensor, features: Tensor, gates: Tensor, seed: Tensor, batches: [Tensor]
    let model: Model, conv: Convolution2D, dense: Dense, layer: any LinearLayer, explanation: Explanation
    let targets: [Int], method: AttributionMethod, url: URL, output: URL, png: Data
    let first: ShardRecord, second: ShardRecord, batch: InputDataset, evaluation: ExplanationEvaluation
    let stage: SprayHeatmaps, firstShard: MethodMetrics, secondShard: MethodMetrics
    let session: ExplorerSession, explainer: Explainer
    let catImage: Image8, h0: Image8, h1: Image8
}
