import Foundation
import LRPCore

/// An 8-bit image: `channels` interleaved bytes per pixel, rows top to bottom.
public struct Image8: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 gray, 2 gray + alpha, 3 RGB, 4 RGBA.
    public let channels: Int
    public let pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) throws {
        guard width > 0, height > 0, (1...4).contains(channels), pixels.count == width * height * channels else {
            throw LRPError(.shape, "image: \(width)×\(height)×\(channels) does not match \(pixels.count) bytes")
        }
        (self.width, self.height, self.channels, self.pixels) = (width, height, channels, pixels)
    }

    /// For sizes the caller has already made consistent.
    package init(validWidth width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        assert(pixels.count == width * height * channels)
        (self.width, self.height, self.channels, self.pixels) = (width, height, channels, pixels)
    }

    /// The image as a `[3, H, W]` tensor of values 0–255: gray is repeated in R, G and B, alpha is dropped
    /// (as Pillow's `convert("RGB")`).
    public func rgbTensor() -> Tensor {
        let plane = width * height
        var planes = [Float](repeating: 0, count: 3 * plane)
        for pixel in 0..<plane {
            for channel in 0..<3 {
                let source = channels >= 3 ? channel : 0
                planes[channel * plane + pixel] = Float(pixels[pixel * channels + source])
            }
        }
        return Tensor(validShape: [3, height, width], scalars: planes)
    }
}
