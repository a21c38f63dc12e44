import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct CIFAR10Tests {
    /// Three records whose pixel at (plane c, row y, column x) of record n is (n·31 + c·7 + y·3 + x) mod 256.
    static func records() -> Data {
        var data = Data()
        for n in 0..<3 {
            data.append(UInt8([3, 8, 0][n]))
            for c in 0..<3 { for y in 0..<32 { for x in 0..<32 { data.append(UInt8((n * 31 + c * 7 + y * 3 + x) % 256)) } } }
        }
        return data
    }

    @Test func decodesPlanesRowsAndLabels() throws {
        let batch = try CIFAR10.decode(Self.records(), source: "test")
        #expect(batch.labels == [3, 8, 0])
        #expect(batch.images.shape == [3, 3, 32, 32])
        for (n, c, y, x) in [(0, 0, 0, 0), (1, 2, 5, 31), (2, 1, 31, 7)] {
            #expect(batch.images[((n * 3 + c) * 32 + y) * 32 + x] == Float((n * 31 + c * 7 + y * 3 + x) % 256))
        }
        #expect(try CIFAR10.encode(images: batch.images, labels: batch.labels) == Self.records())
    }

    @Test func lengthsThatAreNotWholeRecordsAndBadLabels() {
        expectLRPError("part.bin", "3073") { _ = try CIFAR10.decode(Self.records().dropLast(), source: "part.bin") }
        expectLRPError("empty.bin", "3073") { _ = try CIFAR10.decode(Data(), source: "empty.bin") }
        var bad = Self.records()
        bad[0] = 12
        expectLRPError("label.bin", "label 12") { _ = try CIFAR10.decode(bad, source: "label.bin") }
    }
}

@Suite struct CIFAR10FileTests {
    @Test func readsLabelsUpFrontAndRecordsOnDemand() throws {
        let folder = try TemporaryFolder()
        let url = try folder.write(CIFAR10Tests.records(), to: "batch.bin")
        let file = try CIFAR10.File(url: url)
        #expect(file.labels == [3, 8, 0])
        #expect(try file.images(2 ..< 3) == CIFAR10.read(url).images.batch(2 ..< 3))
        expectLRPError("batch.bin", "outside its 3 records") { _ = try file.images(2 ..< 4) }
        let cut = try folder.write(CIFAR10Tests.records().dropLast(), to: "cut.bin")
        expectLRPError("cut.bin", "not a whole number of CIFAR-10 records") { _ = try CIFAR10.File(url: cut) }
        var badLabel = CIFAR10Tests.records()
        badLabel[CIFAR10.recordSize] = 12
        let bad = try folder.write(badLabel, to: "bad.bin")
        expectLRPError("bad.bin", "record 1 has label 12") { _ = try CIFAR10.File(url: bad) }
    }
}
