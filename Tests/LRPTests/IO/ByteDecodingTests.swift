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
        // a run of singles: copied in the machine's byte order, converted in the other
        let run: [UInt8] = [0xAA, 0x00, 0x00, 0x80, 0x3F, 0x00, 0x00, 0x00, 0xC0]
        run.withUnsafeBytes { all in
            let raw = UnsafeRawBufferPointer(rebasing: all[1...])
            #expect(raw.float32s(count: 2) == [1, -2])
            #expect(raw.float32s(count: 0).isEmpty)
        }
        let bigEndianRun: [UInt8] = [0x3F, 0x80, 0x00, 0x00, 0xC0, 0x00, 0x00, 0x00]
        #expect(bigEndianRun.withUnsafeBytes { $0.float32s(count: 2, bigEndian: true) } == [1, -2])
        let double = withUnsafeBytes(of: (-0.1).bitPattern.bigEndian) { $0.float64(at: 0, bigEndian: true) }
        #expect(double == -0.1)
    }
}
