import Testing
@testable import LRP

@Suite struct OpenBLASKernelTests {
    @Test func aGenericFallbackOnACapableCPUGetsItsProperKernel() {
        let avx512: Set = ["sse4_2", "avx", "avx2", "fma", "avx512f", "avx512bw"]
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: avx512, vendor: "GenuineIntel") == "SkylakeX")
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: avx512, vendor: "AuthenticAMD") == "Zen")
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: ["avx", "avx2", "fma"], vendor: "GenuineIntel") == "Haswell")
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: ["sse2"], vendor: "GenuineIntel") == nil)
    }

    @Test func aRecognisedKernelIsLeftAlone() {
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Zen", cpuFlags: ["avx2", "fma", "avx512f", "avx512bw"], vendor: "AuthenticAMD") == nil)
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "SkylakeX", cpuFlags: ["avx512f", "avx512bw"], vendor: "GenuineIntel") == nil)
        #expect(OpenBLASKernel.recommendedCoreType(coreName: "Haswell", cpuFlags: ["avx2", "fma"], vendor: "GenuineIntel") == nil)
    }

    @Test func thisMachinesCPUInformationIsReadable() {
        let (flags, vendor) = OpenBLASKernel.cpuInfo()
        #expect(!flags.isEmpty && !vendor.isEmpty)
        #expect(!BLASInfo.coreName.isEmpty)
    }
}
