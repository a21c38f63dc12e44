import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct ColorMapTests {
    @Test func palettesEqualZennitsEntryForEntry() throws {
        let names = try String(contentsOf: Fixtures.url("visual/palettes.txt"), encoding: .utf8).split(separator: "\n").map(String.init)
        let palettes = try NPY.read(Fixtures.url("visual/palettes.npy"))
        #expect(palettes.shape == [names.count, 256, 3])
        for (index, name) in names.enumerated() {
            let ours = try ColorMap(named: name).palette().flatMap { $0.map(Float.init) }
            #expect(ours == Array(palettes.scalars[index * 768 ..< (index + 1) * 768]), "\(name)")
        }
        #expect(Set(names) == Set(ColorMap.all.map(\.name)))
        expectLRPError("'rainbow'", "bwr") { _ = try ColorMap(named: "rainbow") }
    }

    @Test func nodesAreCheckedInsteadOfTrapping() throws {
        expectLRPError("color map 'none'", "two nodes") { _ = try ColorMap(name: "none", nodes: []) }
        expectLRPError("color map 'back'") { _ = try ColorMap(name: "back", nodes: [.init(200, 0), .init(100, 0xFFFFFF)]) }
        #expect(try ColorMap(name: "mine", nodes: [.init(nil, 0x000000), .init(nil, 0xFFFFFF)]).palette() == ColorMap.gray.palette())
    }
}
