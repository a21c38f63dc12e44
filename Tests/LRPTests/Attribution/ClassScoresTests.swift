import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ClassScoreTests {
    @Test func softmaxAndTopClassesByHand() throws {
        let logits = try Tensor(shape: [2, 3], scalars: [1, 3, 2, 0, 0, 1000])
        let probabilities = try logits.softmax()
        let e = [exp(-2.0), 1, exp(-1.0)], total = e.reduce(0, +)
        expectClose(Array(probabilities.scalars.prefix(3)), e.map { $0 / total })
        #expect(Array(probabilities.scalars.suffix(3)) == [0, 0, 1])   // no overflow with a logit of 1000
        let best = try logits.topClasses(2)
        #expect(best[0].map(\.index) == [1, 2] && best[1].map(\.index) == [2, 0])   // equal logits: the lower index first
        #expect(best[0][0].logit == 3 && abs(Double(best[0][0].probability) - 1 / total) < 1e-6)
        expectLRPError("k must be at least 1") { _ = try logits.topClasses(0) }
        expectLRPError("softmax", "[6]") { _ = try Tensor(shape: [6], repeating: 0).softmax() }
    }
}
