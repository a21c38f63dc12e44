import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct InputDatasetTests {
    @Test func loadsAndConcatenatesEveryKindWithPreprocessing() throws {
        let folder = try TemporaryFolder()
        let cifar = try folder.write(CIFAR10Tests.records(), to: "batch.bin")
        let image = try Tensor(shape: [1, 3, 32, 32], repeating: 51)
        let png = try folder.write(try CIFAR10.encode(images: image, labels: [0]), to: "unused.bin")
        _ = png
        try NPY.write(Tensor(shape: [3, 32, 32], repeating: 0.5), to: folder.file("one.npy"))
        let preprocessing = try ImagePreprocessing(scale: 1 / 255, mean: [0.1, 0.2, 0.3], std: [0.5, 0.5, 0.5])
        let batch = try InputDataset.load([cifar, folder.file("one.npy")], preprocessing: preprocessing)
        let images = try batch.images
        #expect(images.shape == [4, 3, 32, 32] && batch.count == 4 && batch.sampleShape == [3, 32, 32])
        #expect(batch.names == ["batch.bin[0]", "batch.bin[1]", "batch.bin[2]", "one.npy"])
        #expect(batch.labels == nil)   // the .npy part has none
        // record 1, plane 2, pixel (0, 0) is (31 + 14) = 45 → (45/255 − 0.3) / 0.5
        #expect(abs(images[(1 * 3 + 2) * 1024] - (45 / 255 - 0.3) / 0.5) < 1e-6)
        #expect(images[3 * 3072] == 0.5)   // .npy input is used as stored
        #expect(try InputDataset.load([cifar]).labels == [3, 8, 0])
    }

    @Test func pngFoldersLoadSortedByName() throws {
        let batch = try InputDataset.load([Fixtures.url("io/pillow_rgb.png"), Fixtures.url("io/pillow_gray.png")])
        #expect(try batch.images.shape == [2, 3, 21, 33] && batch.names == ["pillow_rgb.png", "pillow_gray.png"])
    }

    @Test func aFoldersLabelsComeFromItsLabelsFile() throws {
        let demo = try InputDataset.load([Demo.images])
        #expect(demo.names.first == "00_cat.png" && demo.labels == [3, 8, 0, 6, 1, 9, 5, 7])
        let folder = try TemporaryFolder()
        for name in ["a.png", "b.png"] {
            try FileManager.default.copyItem(at: Demo.images.appendingPathComponent("00_cat.png"), to: folder.file(name))
        }
        _ = try folder.write(Data("file,label\nb.png, 4\na.png,2\n".utf8), to: "labels.csv")
        #expect(try InputDataset.load([folder.url]).labels == [2, 4])
        _ = try folder.write(Data("a.png,2\n".utf8), to: "labels.csv")
        expectLRPError("labels.csv", "no label for b.png") { _ = try InputDataset.load([folder.url]) }
        _ = try folder.write(Data("a.png,2\nb.png,cat\n".utf8), to: "labels.csv")
        expectLRPError("labels.csv", "line 2") { _ = try InputDataset.load([folder.url]) }
        _ = try folder.write(Data("a.png,2\nb.png,1\na.png,3\n".utf8), to: "labels.csv")
        expectLRPError("labels.csv", "line 3", "second time") { _ = try InputDataset.load([folder.url]) }
    }

    @Test func rangesAcrossFilesReadOnlyTheRowsAskedFor() throws {
        let folder = try TemporaryFolder()
        let first = try Tensor(shape: [5, 1, 2, 2], scalars: (0..<20).map(Float.init))
        let second = try Tensor(shape: [3, 1, 2, 2], scalars: (100..<112).map(Float.init))
        try NPY.write(first, to: folder.file("a.npy"))
        try NPY.write(second, to: folder.file("b.npy"))
        let batch = try InputDataset.load([folder.file("a.npy"), folder.file("b.npy")])
        #expect(batch.count == 8 && batch.names[5] == "b.npy[0]")
        #expect(try batch.images(3 ..< 7) == Tensor(concatenating: [first.batch(3 ..< 5), second.batch(0 ..< 2)]))
        #expect(try batch.images(6 ..< 8) == second.batch(1 ..< 3))
        expectLRPError("outside the 8 samples") { _ = try batch.images(6 ..< 9) }
        // CIFAR-10 records and PNG files are read when asked for, and equal what a whole read gives
        let cifar = try folder.write(CIFAR10Tests.records(), to: "batch.bin")
        let png = Fixtures.url("io/pillow_rgb.png")
        let streamed = try InputDataset.load([cifar])
        #expect(try streamed.images(1 ..< 3) == CIFAR10.read(cifar).images.batch(1 ..< 3) && streamed.labels == [3, 8, 0])
        #expect(try InputDataset.load([png, png]).images(1 ..< 2) == PNG.read(png).rgbTensor().reshaped(to: [1, 3, 21, 33]))
    }

    @Test func badInputNamesTheFileOrSample() throws {
        let folder = try TemporaryFolder()
        var values = [Float](repeating: 0, count: 2 * 4)
        values[5] = .infinity
        try NPY.write(Tensor(shape: [2, 1, 2, 2], scalars: values), to: folder.file("bad.npy"))
        // .npy values are checked as they are read
        expectLRPError("bad.npy[1]", "non-finite") { _ = try InputDataset.load([folder.file("bad.npy")]).images(1 ..< 2) }
        try NPY.write(Tensor(shape: [0, 3, 2, 2]), to: folder.file("empty.npy"))
        expectLRPError("empty.npy", "empty") { _ = try InputDataset.load([folder.file("empty.npy")]) }
        try NPY.write(Tensor(shape: [5]), to: folder.file("flat.npy"))
        expectLRPError("flat.npy", "(C, H, W)") { _ = try InputDataset.load([folder.file("flat.npy")]) }
        expectLRPError("x.jpg", "unknown input type") { _ = try InputDataset.load([folder.file("x.jpg")]) }
        expectLRPError("nothing.npy", "no such file") { _ = try InputDataset.load([folder.file("nothing.npy")]) }
        expectLRPError("holds no .png") { _ = try InputDataset.load([folder.url]) }
        expectLRPError("2 means", "pillow_rgb.png", "3 channels") {
            _ = try InputDataset.load([Fixtures.url("io/pillow_rgb.png")], preprocessing: try ImagePreprocessing(mean: [1, 2]))
        }
        expectLRPError("scale must be a finite, non-zero number") { _ = try ImagePreprocessing(scale: 0) }
        let model = try Model(sampleShape: [3, 32, 32], layers: [("flatten", Flatten())])
        let batch = try InputDataset.load([Fixtures.url("io/pillow_rgb.png")])
        expectLRPError("pillow_rgb.png", "[3, 21, 33]", "[3, 32, 32]") { try batch.check(fits: model) }
    }
}
