import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

/// Every input with which `make fuzz` (Fuzz/LRPFuzz) found a trap, hang or runaway memory is committed in
/// Fixtures/fuzz as `TARGET-what-it-showed.ext` and replayed here through the fuzz target's own `FuzzTarget`:
/// the reader must return or throw an `LRPError`.
@Suite struct FuzzFindingsTests {
    static let findings: [String] = (try? FileManager.default.contentsOfDirectory(atPath: Fixtures.url("fuzz").path).sorted()) ?? []

    @Test(arguments: findings)
    func replaysWithoutATrap(_ name: String) throws {
        let data = try Data(contentsOf: Fixtures.url("fuzz/\(name)"))
        let started = Date()
        let target = try #require(FuzzTarget(rawValue: String(name.prefix { $0 != "-" })), "finding of an unknown target: \(name)")
        let folder = try TemporaryFolder()
        do { try target.run(data, modelFile: folder.url.appendingPathComponent("model.onnx")) } catch is LRPError {}
        #expect(Date().timeIntervalSince(started) < 5)
    }

    @Test func hugeWholeNumbersInSpecificationsAreRefusedOrKept() throws {
        // spec-box-bound-beyond-int: describing a box bound of 2.5e38 converted it to Int
        #expect(try Rule(spec: "box:0,2.5e38").description == "box:0,2.5e+38")
        expectLRPError("samples from 1 to 10⁶") { _ = try AttributionMethod(spec: "smoothgrad:0.1,1e30") }
        expectLRPError("steps from 1 to 10⁶") { _ = try AttributionMethod(spec: "integrated-gradients:1e30") }
        expectLRPError("'integrated-gradients:inf'", "number") { _ = try AttributionMethod(spec: "integrated-gradients:inf") }
    }
}
