// zlib (Debian's zlib1g-dev) for PNG's deflate streams. The init calls are macros in zlib.h,
// so they are wrapped here as functions Swift can call.
#include <zlib.h>

static inline int czlib_inflate_init(z_streamp stream) { return inflateInit(stream); }
static inline int czlib_deflate_init(z_streamp stream, int level) { return deflateInit(stream, level); }
