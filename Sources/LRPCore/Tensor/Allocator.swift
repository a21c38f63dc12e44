import CMallocTuning

/// Process-wide memory-allocator tuning for programs that run many explanations.
///
/// The engine allocates and frees activations and workspaces layer by layer. With glibc's defaults, every
/// buffer above 128 KiB is a fresh `mmap` that the kernel zero-fills page by page, and freed memory goes back
/// to the system at once. Keeping freed memory in the heap for reuse avoids that work. It is a process-wide
/// setting, so the library never makes it by itself: the `lrp` command and the benchmarks call it at start-up,
/// and a program that embeds SwiftLRP may do the same.
///
/// ```swift
/// Allocator.keepFreedMemoryForReuse()   // once, at the start of main
/// ```
public enum Allocator {
    /// Raises glibc's mmap and trim thresholds to 1 GiB (`mallopt`), so that freed buffers stay in the heap
    /// and are reused. Costs resident memory up to the largest working set the program has had.
    public static func keepFreedMemoryForReuse() {
        lrp_reuse_freed_memory()
    }
}
