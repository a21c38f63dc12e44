import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct NPYTests {
    @Test(arguments: ["npy_le_f4", "npy_be_f4", "npy_le_f8", "npy_be_f8", "npy_u1", "npy_le_i4", "npy_be_i8", "npy_version2", "npy_version3"])
    func readsWhatNumpyWrote(_ name: String) throws {
        let tensor = try NPY.read(Fixtures.url("io/\(name).npy"))
        #expect(tensor.shape == [2, 3, 4])
        #expect(tensor.scalars == (0..<24).map(Float.init))
    }

    @Test(arguments: NPY.ScalarType.allCases)
    func writeReadRoundTripsInBothByteOrders(_ type: NPY.ScalarType) throws {
        let tensor = try Tensor(shape: [2, 1, 3], scalars: type == .uint8 ? [0, 1, 2, 127, 200, 255] : [-3, 0, 1.5, 7, 100, -0.25].map { type == .int32 || type == .int64 ? $0.rounded(.down) : $0 })
        for bigEndian in [false, true] {
            let decoded = try NPY.decode(try NPY.encode(tensor, as: type, bigEndian: bigEndian), source: "memory")
            #expect(decoded.tensor == tensor && decoded.scalarType == type)
        }
        let folder = try TemporaryFolder()
        try NPY.write(tensor, to: folder.file("t.npy"), as: type)
        #expect(try NPY.read(folder.file("t.npy")) == tensor)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["t.npy"])   // no temporary left
    }

    @Test func streamWriterWritesBatchesAndLeavesNothingUnlessFinished() throws {
        let folder = try TemporaryFolder()
        let whole = try Tensor(shape: [5, 2], scalars: (0..<10).map(Float.init))
        let writer = try NPYStreamWriter(url: folder.file("s.npy"), shape: [5, 2])
        try writer.append(whole.batch(0..<2))
        try writer.append(whole.batch(2..<5))
        try writer.finish()
        #expect(try NPY.read(folder.file("s.npy")) == whole)
        do {
            let unfinished = try NPYStreamWriter(url: folder.file("u.npy"), shape: [5, 2])
            try unfinished.append(whole.batch(0..<2))
            expectLRPError("2 of 5 samples") { try unfinished.finish() }
            expectLRPError("does not continue") { try unfinished.append(Tensor(shape: [1, 3])) }
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.url.path) == ["s.npy"])
        expectLRPError("does not exist") { _ = try NPYStreamWriter(url: folder.file("none/x.npy"), shape: [1]) }
    }

    @Test func headerIsPaddedToSixtyFourBytes() throws {
        let data = try NPY.encode(Tensor(shape: [1], scalars: [1]))
        #expect((data.count - 4) % 64 == 0)
    }

    @Test func badFilesGiveMessagesNamingTheFile() throws {
        let folder = try TemporaryFolder()
        let good = try NPY.encode(Tensor(shape: [2, 3], repeating: 1))
        let short = try folder.write(good.dropLast(4), to: "short.npy")
        expectLRPError("short.npy", "24 data bytes", "20") { _ = try NPY.read(short) }
        let magic = try folder.write(Data("hello world".utf8), to: "magic.npy")
        expectLRPError("magic.npy", "bad magic") { _ = try NPY.read(magic) }
        var header = good
        header.replaceSubrange(10..<18, with: Data("{'nonsen".utf8))
        let badHeader = try folder.write(header, to: "header.npy")
        expectLRPError("header.npy", "header") { _ = try NPY.read(badHeader) }
        let complex = try folder.write(replacing("<f4", with: "<c8", in: good), to: "complex.npy")
        expectLRPError("complex.npy", "unsupported", "c8") { _ = try NPY.read(complex) }
        expectLRPError("npy_fortran.npy", "Fortran") { _ = try NPY.read(Fixtures.url("io/npy_fortran.npy")) }
        let huge = try folder.write(replacing("(2, 3), }", with: "(99999, 99999, 99999), }", in: good), to: "huge.npy")
        expectLRPError("huge.npy", "not a valid tensor shape") { _ = try NPY.read(huge) }
        expectLRPError("missing.npy", "no such file") { _ = try NPY.read(folder.file("missing.npy")) }
        expectLRPError("no-folder", "does not exist") { try NPY.write(Tensor(shape: [1]), to: folder.file("no-folder/x.npy")) }
        expectLRPError("cannot be stored") { _ = try NPY.encode(Tensor(shape: [1], scalars: [.nan]), as: .int32) }
    }

    /// `data` with the first occurrence of `old` (ASCII) replaced by `new`; the header grows or shrinks with it.
    private func replacing(_ old: String, with new: String, in data: Data) -> Data {
        var result = data
        let range = result.firstRange(of: Data(old.utf8))!
        result.replaceSubrange(range, with: Data(new.utf8))
        return result
    }
}
