import CZlib
import Foundation
import LRPCore
import LRPData

extension PNG {
    /// Encodes an 8-bit image (gray, gray + alpha, RGB or RGBA) as PNG, choosing each row's filter by the
    /// usual minimum-sum heuristic and compressing with zlib.
    ///
    /// ```swift
    /// let data = try PNG.encode(Image8(width: 2, height: 1, channels: 3, pixels: [255, 0, 0, 0, 0, 255]))
    /// ```
    public static func encode(_ image: Image8) throws -> Data {
        let colorType: UInt8 = switch image.channels { case 1: 0; case 2: 4; case 3: 2; default: 6 }
        let rowBytes = image.width * image.channels
        var filtered = [UInt8]()
        filtered.reserveCapacity(image.height * (rowBytes + 1))
        var previous = [UInt8](repeating: 0, count: rowBytes)
        for row in 0..<image.height {
            let current = Array(image.pixels[row * rowBytes ..< (row + 1) * rowBytes])
            let candidates = (0...4).map { filter in filterRow(current, previous: previous, filter: filter, bytesPerPixel: image.channels) }
            let best = candidates.indices.min { cost(candidates[$0]) < cost(candidates[$1]) }!
            filtered.append(UInt8(best))
            filtered.append(contentsOf: candidates[best])
            previous = current
        }
        var data = Data(signature)
        var header = Data()
        for value in [image.width, image.height] { header.append(contentsOf: bigEndian(value)) }
        header.append(contentsOf: [8, colorType, 0, 0, 0])
        appendChunk("IHDR", header, to: &data)
        appendChunk("IDAT", try deflate(filtered), to: &data)
        appendChunk("IEND", Data(), to: &data)
        return data
    }

    /// Writes an image as a PNG file atomically.
    public static func write(_ image: Image8, to url: URL) throws {
        try FileAccess.writeAtomically(try encode(image), to: url)
    }

    private static func filterRow(_ row: [UInt8], previous: [UInt8], filter: Int, bytesPerPixel: Int) -> [UInt8] {
        row.indices.map { index in
            let a = index >= bytesPerPixel ? Int(row[index - bytesPerPixel]) : 0
            let b = Int(previous[index])
            let c = index >= bytesPerPixel ? Int(previous[index - bytesPerPixel]) : 0
            let predictor = predictor(filter: filter, left: a, up: b, upLeft: c)
            return UInt8(truncatingIfNeeded: Int(row[index]) - predictor)
        }
    }

    /// The sum of the filtered bytes read as signed values: small sums compress well.
    private static func cost(_ bytes: [UInt8]) -> Int {
        bytes.reduce(0) { $0 + abs(Int(Int8(bitPattern: $1))) }
    }

    private static func bigEndian(_ value: Int) -> [UInt8] {
        [UInt8(value >> 24 & 0xFF), UInt8(value >> 16 & 0xFF), UInt8(value >> 8 & 0xFF), UInt8(value & 0xFF)]
    }

    private static func appendChunk(_ type: String, _ body: Data, to data: inout Data) {
        data.append(contentsOf: bigEndian(body.count))
        let typeAndBody = Data(type.utf8) + body
        data.append(typeAndBody)
        data.append(contentsOf: bigEndian(checksum(typeAndBody)))
    }

    private static func deflate(_ bytes: [UInt8]) throws -> Data {
        var stream = z_stream()
        guard czlib_deflate_init(&stream, 9) == Z_OK else { throw LRPError(.output, "png: zlib could not start") }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, uLong(bytes.count))))
        let status: Int32 = bytes.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.baseAddress
                stream.avail_out = uInt(out.count)
                return CZlib.deflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END else { throw LRPError(.output, "png: zlib failed to compress (status \(status))") }
        return Data(output.prefix(Int(stream.total_out)))
    }
}
