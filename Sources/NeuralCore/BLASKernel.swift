import Foundation

/// Picks OpenBLAS's compute kernel when its own detection would fall short.
///
/// Debian 12's OpenBLAS 0.3.21 does not know recent Xeons (Sapphire Rapids and later) and falls
/// back to its SSE3 "Prescott" kernel, 2.5 times slower than the AVX-512 one on the same core.
/// OpenBLAS reads `OPENBLAS_CORETYPE` when the library loads, which is at the first CBLAS call
/// (COpenBLAS opens it then), so setting the variable before that is enough. A value the user
/// set is kept.
public enum BLASKernel {
    /// The kernel for this CPU from its /proc/cpuinfo flags, or nil to leave OpenBLAS's choice.
    static func preferredCoreType(cpuFlags: Set<Substring>) -> String? {
        if ["avx512f", "avx512bw", "avx512vl", "avx512dq"].allSatisfy(cpuFlags.contains) { return "SkylakeX" }
        if ["avx2", "fma"].allSatisfy(cpuFlags.contains) { return "Haswell" }
        return nil
    }

    /// Sets `OPENBLAS_CORETYPE`, if it is unset and the CPU supports a better kernel than
    /// OpenBLAS may pick. Call it before the first CBLAS call; later it changes nothing.
    public static func configure() {
        guard getenv("OPENBLAS_CORETYPE") == nil,
            let cpuinfo = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8),
            let flagsLine = cpuinfo.split(separator: "\n").first(where: { $0.hasPrefix("flags") }),
            let coreType = preferredCoreType(cpuFlags: Set(flagsLine.split(separator: " ")))
        else { return }
        setenv("OPENBLAS_CORETYPE", coreType, 1)
    }
}
