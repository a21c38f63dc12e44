import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct PNGTests {
    @Test(arguments: ["gray", "gray_alpha", "rgb", "rgba", "palette"])
    func decodesWhatPillowWrote(_ name: String) throws {
        let image = try PNG.read(Fixtures.url("io/pillow_\(name).png"))
        let pixels = try NPY.read(Fixtures.url("io/pillow_\(name).pixels.npy"))
        #expect([image.height, image.width, image.channels] == pixels.shape)
        #expect(image.pixels.map(Float.init) == pixels.scalars)
    }

    @Test func rgbTensorRepeatsGrayAndDropsAlpha() throws {
        let gray = try Image8(width: 2, height: 1, channels: 2, pixels: [10, 255, 20, 0])
        #expect(gray.rgbTensor() == (try Tensor(shape: [3, 1, 2], scalars: [10, 20, 10, 20, 10, 20])))
        let rgba = try Image8(width: 1, height: 1, channels: 4, pixels: [1, 2, 3, 4])
        #expect(rgba.rgbTensor().scalars == [1, 2, 3])
    }

    @Test func corruptFilesAreErrors() throws {
        let folder = try TemporaryFolder()
        let good = try Data(contentsOf: Fixtures.url("io/pillow_rgb.png"))
        var flipped = good
        flipped[good.count / 2] ^= 0xFF
        let corrupt = try folder.write(flipped, to: "corrupt.png")
        expectLRPError("corrupt.png", "CRC") { _ = try PNG.read(corrupt) }
        let truncated = try folder.write(good.prefix(good.count - 20), to: "truncated.png")
        expectLRPError("truncated.png", "truncated") { _ = try PNG.read(truncated) }
        let notPNG = try folder.write(Data("GIF89a".utf8), to: "image.png")
        expectLRPError("image.png", "signature") { _ = try PNG.read(notPNG) }
    }

    @Test func aHeaderClaimingAHugeImageIsRefusedBeforeAllocating() throws {
        // IHDR claims 8000×8000 RGB while the file holds a few bytes of image data
        var ihdr = Data("IHDR".utf8)
        ihdr.append(contentsOf: [0, 0, 0x1F, 0x40, 0, 0, 0x1F, 0x40, 8, 2, 0, 0, 0])
        var file = Data(PNG.signature)
        func chunk(_ typeAndBody: Data) {
            let length = typeAndBody.count - 4
            file.append(contentsOf: [UInt8(length >> 24), UInt8(length >> 16 & 0xFF), UInt8(length >> 8 & 0xFF), UInt8(length & 0xFF)])
            file.append(typeAndBody)
            let crc = PNG.checksum(typeAndBody)
            file.append(contentsOf: [UInt8(crc >> 24 & 0xFF), UInt8(crc >> 16 & 0xFF), UInt8(crc >> 8 & 0xFF), UInt8(crc & 0xFF)])
        }
        chunk(ihdr)
        chunk(Data("IDAT".utf8) + Data([0x78, 0x9C, 0x03, 0x00, 0x00, 0x00, 0x00, 0x01]))
        chunk(Data("IEND".utf8))
        expectLRPError("claim.png", "cannot hold") { _ = try PNG.decode(file, source: "claim.png") }
    }
}
