import COpenBLASKernel
import Foundation

/// Which OpenBLAS CPU kernel runs, and why.
///
/// Debian's OpenBLAS 0.3.21 does not recognize some newer CPUs and falls back to a generic kernel
/// (`Prescott`) that runs sgemm several times slower. OpenBLAS takes the kernel from the
/// `OPENBLAS_CORETYPE` environment variable, which it reads only when it is loaded; so when SwiftLRP is
/// loaded (before `main`, in every program that links it) it checks the choice and, if OpenBLAS fell back to a
/// generic kernel on a CPU that supports a better one, has OpenBLAS select again with the proper
/// `OPENBLAS_CORETYPE` for that moment. Nothing is needed from the user; a user's own `OPENBLAS_CORETYPE`
/// is always obeyed (set it to force a kernel, for instance to reproduce another machine's rounding).
///
/// ```swift
/// print(BLASInfo.coreName)                    // "SkylakeX"
/// print(OpenBLASKernel.replacedCoreName)      // "Prescott" on a CPU OpenBLAS 0.3.21 misdetects, else nil
/// OpenBLASKernel.recommendedCoreType(coreName: "Prescott", cpuFlags: ["avx2", "fma", "avx512f", "avx512bw"],
///                                    vendor: "GenuineIntel")   // "SkylakeX"
/// ```
public enum OpenBLASKernel {
    /// The kernel OpenBLAS had selected by itself when SwiftLRP replaced it at load time, or `nil` when it
    /// kept OpenBLAS's choice (recognized CPU, `OPENBLAS_CORETYPE` set, or an OpenBLAS without runtime
    /// kernel selection).
    public static var replacedCoreName: String? {
        lrp_openblas_replaced_coretype().map { String(cString: $0) }
    }

    /// The `OPENBLAS_CORETYPE` SwiftLRP selects for a running kernel on a CPU with these `/proc/cpuinfo`
    /// flags and vendor, or `nil` when the running kernel stays (it is not a generic fallback, or nothing
    /// better fits).
    public static func recommendedCoreType(coreName: String, cpuFlags: Set<String>, vendor: String) -> String? {
        func has(_ flags: String...) -> Int32 { flags.allSatisfy(cpuFlags.contains) ? 1 : 0 }
        return lrp_openblas_recommended_coretype(
            coreName, has("avx512f", "avx512bw"), has("avx2", "fma"), has("avx"), vendor.contains("AMD") ? 1 : 0
        ).map { String(cString: $0) }
    }

    /// Whether `coreName` is one of OpenBLAS's generic kernels, which it falls back to on CPUs it does not recognize.
    public static func isGenericFallback(_ coreName: String) -> Bool {
        lrp_openblas_is_generic_fallback(coreName) != 0
    }

    /// How the running kernel came about, for benchmark output and bug reports, e.g.
    /// `SkylakeX (selected by SwiftLRP; OpenBLAS chose Prescott)`.
    public static var description: String {
        if let replaced = replacedCoreName {
            return "\(BLASInfo.coreName) (selected by SwiftLRP; OpenBLAS chose \(replaced))"
        }
        if let forced = ProcessInfo.processInfo.environment["OPENBLAS_CORETYPE"] {
            return "\(BLASInfo.coreName) (OPENBLAS_CORETYPE=\(forced))"
        }
        return "\(BLASInfo.coreName) (detected by OpenBLAS)"
    }
}
