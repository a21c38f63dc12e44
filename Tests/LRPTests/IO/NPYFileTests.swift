import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct NPYFileTests {
    @Test func readsRowsOfEveryTypeWithoutReadingTheRest() throws {
        let folder = try TemporaryFolder()
        let tensor = try Tensor(shape: [5, 2, 3], scalars: (0..<30).map(Float.init))
        for type in NPY.ScalarType.allCases {
            for bigEndian in [false, true] where !(type == .uint8 && bigEndian) {
                let url = try folder.write(NPY.encode(tensor, as: type, bigEndian: bigEndian), to: "t\(type.rawValue)\(bigEndian).npy")
                let file = try NPYFile(url: url)
                #expect(file.shape == [5, 2, 3] && file.rowCount == 5 && file.scalarType == type)
                #expect(try file.rows(1 ..< 3) == tensor.batch(1 ..< 3))
                #expect(try file.rows(4 ..< 5) == tensor.batch(4 ..< 5))
            }
        }
    }

    @Test func badFilesNameTheFileAndTheProblem() throws {
        let folder = try TemporaryFolder()
        let good = try NPY.encode(Tensor(shape: [4, 2], scalars: Array(repeating: 1, count: 8)))
        let truncated = try folder.write(good.prefix(good.count - 4), to: "truncated.npy")
        expectLRPError("truncated.npy", "needs 32 data bytes") { _ = try NPYFile(url: truncated) }
        // a header claiming a huge array is refused before anything is allocated
        let header = try NPY.header(for: [1_000_000, 100], as: .float32)
        let huge = try folder.write(header, to: "huge.npy")
        expectLRPError("huge.npy", "the file has 0") { _ = try NPYFile(url: huge) }
        expectLRPError("missing.npy", "no such file") { _ = try NPYFile(url: folder.file("missing.npy")) }
        let file = try NPYFile(url: try folder.write(good, to: "good.npy"))
        expectLRPError("good.npy", "outside its 4 rows") { _ = try file.rows(3 ..< 6) }
    }
}
