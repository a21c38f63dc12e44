import CZlib
import Foundation
import LRPCore

/// Decodes PNG files, not interlaced: 8-bit gray, gray + alpha, RGB and RGBA; gray and palette images also
/// at 1, 2 and 4 bits per pixel.
///
/// ```swift
/// let image = try PNG.decode(Data(contentsOf: url), source: url.path)
/// let x = image.rgbTensor()   // [3, H, W], 0–255
/// ```
public enum PNG {
    package static let signature: [UInt8] = [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]
    /// The largest image accepted, in pixels (64 megapixels).
    package static let maximumPixels = 1 << 26

    /// Reads and decodes a PNG file.
    public static func read(_ url: URL) throws -> Image8 {
        try decode(FileAccess.read(url), source: url.path)
    }

    /// The width and height a PNG file declares, from its first chunk, without reading the image data.
    /// - Throws: `LRPError` (`.input`) naming the file if it does not start with a valid PNG header.
    public static func dimensions(_ url: URL) throws -> (width: Int, height: Int) {
        let size = try FileAccess.size(of: url)
        var reader = ByteReader(try FileAccess.read(url, offset: 0, count: min(size, 33)), source: url.path)
        guard size >= 33, Array(try reader.bytes(8, "signature")) == signature,
              try reader.uint32("chunk length", bigEndian: true) == 13,
              String(decoding: try reader.bytes(4, "chunk type"), as: UTF8.self) == "IHDR" else {
            throw LRPError(.input, "\(url.path): not a PNG file (bad signature or no IHDR chunk first)")
        }
        let header = try parseHeader(try reader.bytes(13, "IHDR"), source: url.path)
        return (header.width, header.height)
    }

    /// Decodes PNG bytes; `source` names the file in messages.
    /// - Throws: `LRPError` (`.input`) for a bad signature, a corrupt or truncated chunk, a CRC mismatch,
    ///   an unsupported format, or image data that does not inflate to the declared size.
    public static func decode(_ data: Data, source: String) throws -> Image8 {
        var reader = ByteReader(data, source: source)
        guard data.count >= 8, Array(try reader.bytes(8, "signature")) == signature else {
            throw LRPError(.input, "\(source): not a PNG file (bad signature)")
        }
        var header: Header?
        var palette: [UInt8] = []
        var compressed = Data()
        chunks: while true {
            let length = try reader.uint32("chunk length", bigEndian: true)
            let typeAndBody = try reader.bytes(4 + length, "chunk")
            let crc = try reader.uint32("chunk CRC", bigEndian: true)
            guard crc == checksum(typeAndBody) else { throw LRPError(.input, "\(source): corrupt PNG (CRC mismatch)") }
            let type = String(decoding: typeAndBody.prefix(4), as: UTF8.self)
            let body = typeAndBody.dropFirst(4)
            switch type {
            case "IHDR": header = try parseHeader(body, source: source)
            case "PLTE": palette = Array(body)
            case "IDAT": compressed.append(body)
            case "IEND": break chunks
            default: continue
            }
        }
        guard let header else { throw LRPError(.input, "\(source): corrupt PNG (no IHDR chunk)") }
        let samples: Int = switch header.colorType { case 0: 1; case 2: 3; case 3: 1; case 4: 2; default: 4 }
        let rowBytes = (header.width * samples * header.depth + 7) / 8
        let expected = header.height * (rowBytes + 1)
        // deflate compresses at most ~1032:1; a larger claim cannot be true of this file
        guard expected <= 1032 * compressed.count + 1024 else {
            throw LRPError(.input, "\(source): corrupt PNG (\(compressed.count) bytes of image data cannot hold a \(header.width)×\(header.height) image)")
        }
        let raw = try inflate(compressed, expectedSize: expected, source: source)
        var unfiltered = try unfilter(raw, rowBytes: rowBytes, height: header.height, bytesPerPixel: max(1, samples * header.depth / 8), source: source)
        if header.depth < 8 {
            unfiltered = unpack(unfiltered, header: header, rowBytes: rowBytes)
        }
        if header.colorType == 3 {
            return try expandPalette(unfiltered, palette: palette, header: header, source: source)
        }
        return try Image8(width: header.width, height: header.height, channels: samples, pixels: unfiltered)
    }

    /// What IHDR says.
    struct Header {
        let width: Int, height: Int, depth: Int, colorType: UInt8
    }

    private static func parseHeader(_ body: Data, source: String) throws -> Header {
        var reader = ByteReader(body, source: source)
        let width = try reader.uint32("IHDR width", bigEndian: true)
        let height = try reader.uint32("IHDR height", bigEndian: true)
        let depth = try reader.uint8("IHDR bit depth"), colorType = try reader.uint8("IHDR color type")
        _ = try reader.uint8("IHDR compression"); _ = try reader.uint8("IHDR filter")
        let interlace = try reader.uint8("IHDR interlace")
        guard width > 0, height > 0, width <= maximumPixels, height <= maximumPixels, width * height <= maximumPixels else {
            throw LRPError(.input, "\(source): PNG size \(width)×\(height) is empty or too large")
        }
        let lowDepthAllowed = colorType == 0 || colorType == 3
        guard [0, 2, 3, 4, 6].contains(colorType), depth == 8 || lowDepthAllowed && [1, 2, 4].contains(depth) else {
            throw LRPError(.input, "\(source): unsupported PNG format (bit depth \(depth), color type \(colorType)); 8-bit gray, RGB and RGBA, and 1–8-bit gray and palette images are supported")
        }
        guard interlace == 0 else { throw LRPError(.input, "\(source): interlaced PNGs are not supported") }
        return Header(width: width, height: height, depth: Int(depth), colorType: colorType)
    }

    /// CRC-32 of a chunk's type and body.
    package static func checksum(_ bytes: Data) -> Int {
        bytes.withUnsafeBytes { raw in
            Int(crc32(0, raw.bindMemory(to: Bytef.self).baseAddress, uInt(raw.count)))
        }
    }

    private static func inflate(_ compressed: Data, expectedSize: Int, source: String) throws -> [UInt8] {
        var output = [UInt8](repeating: 0, count: expectedSize)
        var stream = z_stream()
        guard czlib_inflate_init(&stream) == Z_OK else { throw LRPError(.input, "\(source): zlib could not start") }
        defer { inflateEnd(&stream) }
        let status: Int32 = compressed.withUnsafeBytes { input in
            output.withUnsafeMutableBytes { out in
                stream.next_in = UnsafeMutablePointer(mutating: input.bindMemory(to: Bytef.self).baseAddress)
                stream.avail_in = uInt(input.count)
                stream.next_out = out.bindMemory(to: Bytef.self).baseAddress
                stream.avail_out = uInt(out.count)
                return CZlib.inflate(&stream, Z_FINISH)
            }
        }
        guard status == Z_STREAM_END, Int(stream.total_out) == expectedSize else {
            throw LRPError(.input, "\(source): corrupt PNG (image data does not inflate to the declared \(expectedSize) bytes)")
        }
        return output
    }

    /// Undoes the per-row filters (None, Sub, Up, Average, Paeth).
    private static func unfilter(_ raw: [UInt8], rowBytes: Int, height: Int, bytesPerPixel: Int, source: String) throws -> [UInt8] {
        var pixels = [UInt8](repeating: 0, count: rowBytes * height)
        for row in 0..<height {
            let filter = raw[row * (rowBytes + 1)]
            let input = row * (rowBytes + 1) + 1, output = row * rowBytes
            for column in 0..<rowBytes {
                let a = column >= bytesPerPixel ? Int(pixels[output + column - bytesPerPixel]) : 0
                let b = row > 0 ? Int(pixels[output - rowBytes + column]) : 0
                let c = row > 0 && column >= bytesPerPixel ? Int(pixels[output - rowBytes + column - bytesPerPixel]) : 0
                guard filter <= 4 else { throw LRPError(.input, "\(source): corrupt PNG (unknown filter \(filter) on row \(row))") }
                let predictor = PNG.predictor(filter: Int(filter), left: a, up: b, upLeft: c)
                pixels[output + column] = UInt8(truncatingIfNeeded: Int(raw[input + column]) + predictor)
            }
        }
        return pixels
    }

    /// Spreads 1-, 2- or 4-bit samples to one byte each; gray values are scaled to 0–255, palette indices kept.
    private static func unpack(_ packed: [UInt8], header: Header, rowBytes: Int) -> [UInt8] {
        let perByte = 8 / header.depth, mask = (1 << header.depth) - 1
        let scale = header.colorType == 0 ? 255 / mask : 1
        var samples: [UInt8] = []
        samples.reserveCapacity(header.width * header.height)
        for row in 0..<header.height {
            for column in 0..<header.width {
                let byte = Int(packed[row * rowBytes + column / perByte])
                let shift = 8 - header.depth * (column % perByte + 1)
                samples.append(UInt8((byte >> shift & mask) * scale))
            }
        }
        return samples
    }

    /// The value a scanline filter predicts from the byte to the left, above, and above-left (filters 0–4:
    /// None, Sub, Up, Average, Paeth).
    package static func predictor(filter: Int, left a: Int, up b: Int, upLeft c: Int) -> Int {
        switch filter {
        case 1: return a
        case 2: return b
        case 3: return (a + b) / 2
        case 4:
            let p = a + b - c
            let (pa, pb, pc) = (abs(p - a), abs(p - b), abs(p - c))
            return pa <= pb && pa <= pc ? a : (pb <= pc ? b : c)
        default: return 0
        }
    }

    private static func expandPalette(_ indices: [UInt8], palette: [UInt8], header: Header, source: String) throws -> Image8 {
        var rgb: [UInt8] = []
        rgb.reserveCapacity(indices.count * 3)
        for index in indices {
            let offset = Int(index) * 3
            guard offset + 3 <= palette.count else {
                throw LRPError(.input, "\(source): corrupt PNG (palette index \(index) outside a palette of \(palette.count / 3))")
            }
            rgb.append(contentsOf: palette[offset ..< offset + 3])
        }
        return try Image8(width: header.width, height: header.height, channels: 3, pixels: rgb)
    }
}
