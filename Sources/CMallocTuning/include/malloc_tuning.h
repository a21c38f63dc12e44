// Keeps freed large buffers in the heap for reuse (glibc), instead of fresh zeroed mmaps per allocation.
// Process-wide: reached through `Allocator.keepFreedMemoryForReuse()`, which the executables call; the library
// never calls it by itself.
void lrp_reuse_freed_memory(void);
