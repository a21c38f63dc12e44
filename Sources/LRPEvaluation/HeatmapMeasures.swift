import Foundation
import LRPCore
import LRPData
import LRPVisualization

/// Measures of how concentrated an explanation is, on the channel-summed relevance of one sample.
///
/// ```swift
/// HeatmapMeasures.gini([0, 0, 0, 1])        // 0.75: all relevance in one of four pixels
/// HeatmapMeasures.entropy([1, 1, 1, 1])     // log 4: spread evenly
/// ```
public enum HeatmapMeasures {
    /// Sparseness: the Gini index of |R| (0 when all pixels are equal, approaching 1 when one pixel holds
    /// everything), as Chalasani et al. (2020) define it for attributions.
    public static func gini(_ values: [Float]) -> Double {
        let sorted = values.map { abs(Double($0)) }.sorted()
        let total = sorted.reduce(0, +)
        guard total > 0, sorted.count > 1 else { return 0 }
        let n = Double(sorted.count)
        let weighted = sorted.enumerated().reduce(0.0) { $0 + Double($1.offset + 1) * $1.element }
        return (2 * weighted) / (n * total) - (n + 1) / n
    }

    /// Complexity: the Shannon entropy (natural log) of |R| normalized to a distribution (Bhatt et al.
    /// 2020); low for concentrated explanations.
    public static func entropy(_ values: [Float]) -> Double {
        let magnitudes = values.map { abs(Double($0)) }
        let total = magnitudes.reduce(0, +)
        guard total > 0 else { return 0 }
        return -magnitudes.reduce(0.0) { sum, value in
            let p = value / total
            return p > 0 ? sum + p * log(p) : sum
        }
    }
}
