import Foundation
import Testing
@testable import LRPCore

@Suite struct ByteDecodingTests {
    @Test func numbersDecodeInEitherByteOrderAtAnyAlignment() {
        // one padding byte first, so every value sits at an odd address
        let bytes: [UInt8] = [0xAA, 0x00, 0x00, 0x80, 0x3F, 0x3F, 0x80, 0x00, 0x00, 0xFE, 0xFF, 0xFF, 0xFF]
        bytes.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[1...])
            #expect(raw.float32(at: 0) == 1)
            #expect(raw.float32(at: 1, bigEndian: true) == 1)
            #expect(raw.integer(at: 2, as: Int32.self) == -2)
            #expect(raw.integer(at: 2, as: UInt32.self, bigEndian: true) == 0xFEFF_FFFF)
        }
        let double = withUnsafeBytes(of: (-0.1).bitPattern.bigEndian) { $0.float64(at: 0, bigEndian: true) }
        #expect(double == -0.1)
    }
}
