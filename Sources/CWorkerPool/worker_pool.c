#include "worker_pool.h"

#include <pthread.h>
#include <sched.h>
#include <stdatomic.h>
#include <stdint.h>
#include <time.h>

#if defined(__x86_64__) || defined(__i386__)
#include <immintrin.h>
#define LRP_CPU_RELAX() _mm_pause()
#elif defined(__aarch64__)
#define LRP_CPU_RELAX() __asm__ __volatile__("yield")
#else
#define LRP_CPU_RELAX() ((void)0)
#endif

enum { max_threads = 63 };
/// How long an idle thread spins before it sleeps: long enough to bridge the serial code between an
/// explanation's parallel sections, short enough that an idle process leaves the cores alone.
static const long spin_nanoseconds = 200000;

static struct {
    /// Set while one caller's section runs (or the pool's threads are being started).
    atomic_int busy;
    /// The threads started so far, and whether the system refused one (then the pool is not used again).
    int threads, refused;
    /// The section's number (raised by one for each) in the high 32 bits, the parts not yet taken in the low 32.
    /// A thread takes a part by counting them down while the number is still the one it woke for: once it has,
    /// the section cannot end before that part does, so the job fields below are that section's.
    _Atomic uint64_t claim;
    /// The current section's job, written before its number is published and unchanged until it ends.
    lrp_pool_task task;
    void *context;
    long parts;
    /// The threads that take part in the current section (the pool's threads with a smaller index).
    atomic_long workers;
    /// Parts of the current section that have finished.
    atomic_long finished;
    /// Threads asleep on `wake`, and the lock that guards the sleeping.
    atomic_int sleepers;
    pthread_mutex_t lock;
    pthread_cond_t wake;
} pool = {.lock = PTHREAD_MUTEX_INITIALIZER, .wake = PTHREAD_COND_INITIALIZER};

static uint32_t section_of(uint64_t claim) { return (uint32_t)(claim >> 32); }
static uint32_t untaken_of(uint64_t claim) { return (uint32_t)claim; }

static long elapsed_nanoseconds(const struct timespec *start) {
    struct timespec now;
    clock_gettime(CLOCK_MONOTONIC, &now);
    return (now.tv_sec - start->tv_sec) * 1000000000L + (now.tv_nsec - start->tv_nsec);
}

/// Waits until a section after `seen` starts and returns its number: spins, then sleeps on `wake`.
static uint32_t next_section(uint32_t seen) {
    struct timespec start;
    clock_gettime(CLOCK_MONOTONIC, &start);
    for (unsigned spins = 1;; spins++) {
        uint32_t section = section_of(atomic_load_explicit(&pool.claim, memory_order_acquire));
        if (section != seen) return section;
        LRP_CPU_RELAX();
        if (spins % 256 == 0 && elapsed_nanoseconds(&start) > spin_nanoseconds) break;
    }
    pthread_mutex_lock(&pool.lock);
    // announced before the section is read again: a caller that starts one after this read sees the sleeper
    atomic_fetch_add(&pool.sleepers, 1);
    uint32_t section;
    while ((section = section_of(atomic_load(&pool.claim))) == seen) pthread_cond_wait(&pool.wake, &pool.lock);
    atomic_fetch_sub(&pool.sleepers, 1);
    pthread_mutex_unlock(&pool.lock);
    return section;
}

/// Takes and runs parts of section `section` until none is left untaken (or that section is over).
static void take_parts(uint32_t section) {
    uint64_t claim = atomic_load_explicit(&pool.claim, memory_order_acquire);
    while (section_of(claim) == section && untaken_of(claim) > 0) {
        if (atomic_compare_exchange_weak_explicit(&pool.claim, &claim, claim - 1, memory_order_acquire,
                                                  memory_order_acquire)) {
            pool.task(pool.context, pool.parts - (long)untaken_of(claim));
            atomic_fetch_add_explicit(&pool.finished, 1, memory_order_release);
            claim = atomic_load_explicit(&pool.claim, memory_order_acquire);
        }
    }
}

/// A pool thread: its index (1 for the first) in the low 8 bits of the argument, the section current when it
/// started above them.
static void *thread_main(void *argument) {
    long index = (long)((uintptr_t)argument & 0xff);
    uint32_t seen = (uint32_t)((uintptr_t)argument >> 8);
    for (;;) {
        seen = next_section(seen);
        if (index < atomic_load_explicit(&pool.workers, memory_order_relaxed)) take_parts(seen);
    }
}

/// Starts threads until there are `count`; false if the system refuses one.
static int start_threads(int count) {
    uint32_t current = section_of(atomic_load(&pool.claim));
    while (pool.threads < count) {
        pthread_t thread;
        pthread_attr_t attributes;
        pthread_attr_init(&attributes);
        pthread_attr_setdetachstate(&attributes, PTHREAD_CREATE_DETACHED);
        void *argument = (void *)(((uintptr_t)current << 8) | (uintptr_t)(pool.threads + 1));
        int failed = pthread_create(&thread, &attributes, thread_main, argument);
        pthread_attr_destroy(&attributes);
        if (failed) return 0;
        pool.threads++;
    }
    return 1;
}

int lrp_pool_run(long workers, long parts, lrp_pool_task task, void *context) {
    if (workers < 1 || workers > max_threads + 1 || parts < 0 || parts > UINT32_MAX) return 1;
    int expected = 0;
    if (!atomic_compare_exchange_strong(&pool.busy, &expected, 1)) return 1;
    if (pool.refused || !start_threads((int)workers - 1)) {
        pool.refused = 1;
        atomic_store(&pool.busy, 0);
        return 1;
    }
    pool.task = task;
    pool.context = context;
    pool.parts = parts;
    atomic_store_explicit(&pool.workers, workers, memory_order_relaxed);
    atomic_store_explicit(&pool.finished, 0, memory_order_relaxed);
    // starts the section (its job published with it); then a thread that went to sleep before is woken
    uint32_t section = section_of(atomic_load_explicit(&pool.claim, memory_order_relaxed)) + 1;
    atomic_store(&pool.claim, ((uint64_t)section << 32) | (uint64_t)parts);
    if (atomic_load(&pool.sleepers) > 0) {
        pthread_mutex_lock(&pool.lock);
        pthread_cond_broadcast(&pool.wake);
        pthread_mutex_unlock(&pool.lock);
    }
    take_parts(section);
    for (unsigned spins = 1; atomic_load_explicit(&pool.finished, memory_order_acquire) < parts; spins++) {
        LRP_CPU_RELAX();
        if (spins % 4096 == 0) sched_yield();
    }
    atomic_store_explicit(&pool.busy, 0, memory_order_release);
    return 0;
}
