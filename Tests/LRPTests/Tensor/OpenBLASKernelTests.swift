import Foundation
import Testing
@testable import LRP
@testable import LRPCore
@testable import LRPData
@testable import LRPEvaluation
@testable import LRPONNX
@testable import LRPVisualization

@Suite struct OpenBLASKernelTests {
    @Test func aGenericFallbackOnACapableCPUGetsItsProperKernel() {
        let avx512: Set = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw"]
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: avx512, vendor: "GenuineIntel") == "SkylakeX")
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: avx512, vendor: "AuthenticAMD") == "Zen")
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: ["avx", "avx2", "fma"], vendor: "GenuineIntel") == "Haswell")
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: ["sse2"], vendor: "GenuineIntel") == nil)
    }

    @Test func aRecognizedKernelIsLeftAlone() {
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Zen", cpuFlags: ["avx2", "fma", "avx512f", "avx512bw"], vendor: "AuthenticAMD") == nil)
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "SkylakeX", cpuFlags: ["avx512f", "avx512bw"], vendor: "GenuineIntel") == nil)
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Haswell", cpuFlags: ["avx2", "fma"], vendor: "GenuineIntel") == nil)
    }

    /// This test process links SwiftLRP like any embedding program: on a CPU with AVX2 or AVX-512 it runs a
    /// kernel written for it, whatever OpenBLAS detected, unless OPENBLAS_CORETYPE says otherwise.
    @Test func theRunningKernelFitsTheCPU() throws {
        let info = try String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8)
        let flags = Set(info.split(separator: "\n").first { $0.hasPrefix("flags") }?.split(separator: " ").map(String.init) ?? [])
        if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
            #expect(BLASInfo.coreName.lowercased() == forced.lowercased())
            #expect(OpenBLASKernel.replacedCoreName == nil)
            #expect(OpenBLASKernel.description.contains("OPENBLAS_CORETYPE=\(forced)"))
        } else if flags.contains("avx2") && flags.contains("fma") {
            #expect(!OpenBLASKernel.isGenericFallback(BLASInfo.coreName), "running \(OpenBLASKernel.description)")
            if let replaced = OpenBLASKernel.replacedCoreName {
                #expect(OpenBLASKernel.isGenericFallback(replaced))
                #expect(OpenBLASKernel.description.contains("OpenBLAS chose \(replaced)"))
            }
        }
    }
}
