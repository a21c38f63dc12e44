// Keeps freed large buffers in the heap for reuse (glibc), instead of fresh zeroed mmaps per allocation.
// Process-wide: called by the executables, never by the library.
void lrp_reuse_freed_memory(void);
