import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct PNGEncoderTests {
    /// SwiftLRP wrote these files; Pillow decoded them to the pixels beside them. Re-encoding those pixels
    /// must give the same bytes, so Pillow reads what the encoder writes.
    @Test(arguments: [0, 1])
    func pillowDecodesWhatTheEncoderWrites(_ index: Int) throws {
        let file = try Data(contentsOf: Fixtures.url("visual/swiftlrp_\(index).png"))
        let pillow = try NPY.read(Fixtures.url("visual/swiftlrp_\(index).pixels.npy"))
        let image = try Image8(width: pillow.shape[1], height: pillow.shape[0], channels: pillow.shape[2],
                               pixels: pillow.scalars.map { UInt8($0) })
        #expect(try PNG.encode(image) == file)
        #expect(try PNG.decode(file, source: "fixture") == image)
    }

    @Test(arguments: [1, 2, 3, 4])
    func roundTripsEveryChannelCount(_ channels: Int) throws {
        var generator = SeededGenerator(seed: UInt64(channels))
        let pixels = (0 ..< 17 * 9 * channels).map { index in UInt8(truncatingIfNeeded: index * 7 + Int.random(in: 0...3, using: &generator)) }
        let image = try Image8(width: 17, height: 9, channels: channels, pixels: pixels)
        #expect(try PNG.decode(try PNG.encode(image), source: "memory") == image)
    }
}
