import LRPCore
import LRPData
import LRPVisualization

/// Spearman's rank correlation: the Pearson correlation of the values' ranks, ties given their average rank
/// (as `scipy.stats.spearmanr`). The model-randomization check compares explanations with it.
///
/// ```swift
/// RankCorrelation.spearman([1, 2, 3, 4], [10, 20, 30, 40])   //  1
/// RankCorrelation.spearman([1, 2, 3, 4], [4, 3, 2, 1])       // −1
/// ```
public enum RankCorrelation {
    /// The correlation of two equally long lists; 0 when either is constant (no ranking to compare).
    public static func spearman(_ a: [Float], _ b: [Float]) -> Double {
        guard a.count == b.count, a.count > 1 else { return 0 }
        return pearson(ranks(a), ranks(b))
    }

    /// 1-based ranks with ties averaged.
    static func ranks(_ values: [Float]) -> [Double] {
        let order = values.indices.sorted { values[$0] < values[$1] }
        var ranks = [Double](repeating: 0, count: values.count)
        var start = 0
        while start < order.count {
            var end = start
            while end + 1 < order.count, values[order[end + 1]] == values[order[start]] { end += 1 }
            let average = Double(start + end) / 2 + 1
            for position in start...end { ranks[order[position]] = average }
            start = end + 1
        }
        return ranks
    }

    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let (meanA, meanB) = (a.reduce(0, +) / Double(a.count), b.reduce(0, +) / Double(b.count))
        var (covariance, varianceA, varianceB) = (0.0, 0.0, 0.0)
        for (x, y) in zip(a, b) {
            covariance += (x - meanA) * (y - meanB)
            varianceA += (x - meanA) * (x - meanA)
            varianceB += (y - meanB) * (y - meanB)
        }
        return varianceA > 0 && varianceB > 0 ? covariance / (varianceA * varianceB).squareRoot() : 0
    }
}
