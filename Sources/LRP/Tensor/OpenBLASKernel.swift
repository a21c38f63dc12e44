import Foundation

/// Choosing OpenBLAS's CPU kernel. Debian's OpenBLAS 0.3.21 does not recognise some newer CPUs and falls back
/// to a generic kernel (`Prescott`) that runs sgemm several times slower. OpenBLAS can be told the kernel
/// with the `OPENBLAS_CORETYPE` environment variable, which it reads only when it is loaded: the `lrp`
/// command and the benchmarks therefore start themselves again with it set when the running kernel is a
/// generic fallback and the CPU supports a better one. The library itself never changes it.
///
/// ```swift
/// OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: ["avx2", "avx512f"], vendor: "GenuineIntel")  // "SkylakeX"
/// ```
public enum OpenBLASKernel {
    /// Kernels OpenBLAS falls back to when it does not recognise the CPU.
    static let genericFallbacks: Set<String> = ["Prescott", "Core2", "Katmai", "Coppermine", "Northwood", "Banias", "Atom", "Penryn", "Dunnington", "Nehalem", "Sandybridge"]

    /// The `OPENBLAS_CORETYPE` to use, or `nil` when the running kernel is fine (or nothing better fits).
    public static func recommendedCoreType(coreName: String, cpuFlags: Set<String>, vendor: String) -> String? {
        guard genericFallbacks.contains(coreName) else { return nil }
        let amd = vendor.contains("AMD")
        if cpuFlags.contains("avx512f") && cpuFlags.contains("avx512bw") { return amd ? "Zen" : "SkylakeX" }
        if cpuFlags.contains("avx2") && cpuFlags.contains("fma") { return amd ? "Zen" : "Haswell" }
        if cpuFlags.contains("avx") { return coreName == "Sandybridge" ? nil : "Sandybridge" }
        return nil
    }

    /// The CPU's feature flags and vendor from /proc/cpuinfo.
    public static func cpuInfo() -> (flags: Set<String>, vendor: String) {
        guard let info = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return ([], "") }
        let lines = info.split(separator: "\n")
        func field(_ name: String) -> Substring? {
            lines.first { $0.hasPrefix(name) }?.split(separator: ":", maxSplits: 1).last
        }
        let flags = Set((field("flags") ?? "").split(separator: " ").map(String.init))
        return (flags, (field("vendor_id") ?? "").trimmingCharacters(in: .whitespaces))
    }

    /// When OpenBLAS runs a generic fallback kernel on a CPU that supports a better one and
    /// `OPENBLAS_CORETYPE` is not set, executes the current program again with it set (never returns then).
    /// For executables, at the very start of `main`.
    public static func relaunchWithProperKernelIfNeeded() {
        let environment = ProcessInfo.processInfo.environment
        guard environment["OPENBLAS_CORETYPE"] == nil else { return }
        let (flags, vendor) = cpuInfo()
        guard let coreType = recommendedCoreType(coreName: BLASInfo.coreName, cpuFlags: flags, vendor: vendor) else { return }
        setenv("OPENBLAS_CORETYPE", coreType, 1)
        let arguments = CommandLine.arguments
        var pointers = arguments.map { strdup($0) } + [nil]
        execv("/proc/self/exe", &pointers)
        // execv returned: it failed; carry on with the kernel we have
        unsetenv("OPENBLAS_CORETYPE")
    }
}
