// A pool of threads that wait for work by spinning for a short while before they sleep, so that a parallel
// section usually reaches them within microseconds. Dispatch's `concurrentPerform` wakes a sleeping thread for
// each call, which took 85–320 µs per call on a two-core virtual machine: an explanation runs hundreds of short
// parallel sections per batch.
#ifndef LRP_WORKER_POOL_H
#define LRP_WORKER_POOL_H

/// One part of a parallel section.
typedef void (*lrp_pool_task)(void *context, long part);

/// Runs `task(context, part)` for every part in 0 ..< parts on `workers` threads at once, the calling thread and
/// `workers − 1` of the pool's, each taking the next part not yet taken until none is left (so a thread that
/// starts late, or runs slowly, takes fewer), and returns when all have finished. The pool's threads start when a
/// section first needs them. Returns 0 when it ran the section, and nonzero, running nothing, when `workers` is
/// not in 1 ... 64 or `parts` not in 0 ..< 2³², when the pool is busy with another caller's section (or a task's
/// own, nested), or when the system refused to start a thread (from then on): the caller then runs the parts
/// some other way.
int lrp_pool_run(long workers, long parts, lrp_pool_task task, void *context);

#endif
