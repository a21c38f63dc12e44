#!/usr/bin/env bash
# make test-cluster: the Slurm scripts of this folder under a real (single-node, throwaway) Slurm.
#
# Starts munged, slurmctld and slurmd (2 CPUs) in a temporary folder, replicates the demo images to 304 inputs,
# and for explain, evaluate and spray runs one unsharded job on both CPUs, then a 4-task array of
# lrp-array.sbatch (1 CPU each) with lrp-merge.sbatch after it (--dependency=afterok), and checks that the merged
# output equals the unsharded one (scripts/slurm/compare-outputs.py). Then it kills one explain task mid-run
# (SIGKILL, as the kernel's OOM killer or a lost node would) and checks that the merge refuses the incomplete and a
# duplicated set naming the shard, that the re-queued task runs again and leaves no temporary file behind, and that
# the merge then equals the unsharded run. Prints the wall times. Every wait is bounded; everything started is
# stopped on exit; the folder is removed when the test passes and kept, with the logs, when it fails.
# Needs root (slurmd starts the jobs), the Debian packages slurm-wlm, slurmctld, slurmd and munge, python3, and
# the release build of lrp (LRP=path overrides it).
set -euo pipefail

root=$(cd "$(dirname "$0")/../.." && pwd)
scripts=$root/scripts/slurm
export LRP=${LRP:-$root/.build/release/lrp}
copies=38        # 8 demo images × 38 = 304 inputs; shards of 76 end inside lrp's batches of 64
shards=4
timeout=300      # seconds any one wait may take

fail() {
    echo "test-cluster: FAILED: $*" >&2
    exit 1
}
step() { echo "== $*"; }

[ -x "$LRP" ] || fail "$LRP is missing; build it with 'make release' (or set LRP)"
command -v python3 >/dev/null || fail "python3 is missing (Debian: apt-get install -y python3)"

# shellcheck source=local-slurm.bash
source "$scripts/local-slurm.bash"
work=$(mktemp -d "${TMPDIR:-/tmp}/lrp-test-cluster.XXXXXX")
finish() {
    local status=$?
    local_slurm_stop
    if [ "$status" = 0 ]; then rm -rf "$work"; else echo "test-cluster: the logs are kept in $work" >&2; fi
    exit "$status"
}
trap finish EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

mkdir -p "$work/images" "$work/logs"
for copy in $(seq -w 1 "$copies"); do
    for image in "$root"/demo/images/*.png; do cp "$image" "$work/images/$copy-$(basename "$image")"; done
done
inputs=$(find "$work/images" -name '*.png' | wc -l)

step "starting a single-node Slurm in $work/slurm"
local_slurm_start "$work/slurm" || fail "Slurm did not start on this machine (the reason is above)"
cd "$work"

common=(--model "$root/demo/cifar10_cnn.onnx" --input "$work/images")
explain_options=(--composite epsilon-plus)
evaluate_options=(--method epsilon-plus --steps 2 --no-randomization)
spray_options=(--class 1 --composite epsilon-plus)

now() { date +%s.%N; }
seconds_since() { awk -v start="$1" -v end="$(now)" 'BEGIN { printf "%.1f", end - start }'; }

# until JOB (every task of an array) has left the queue, at most $timeout seconds
wait_for() {
    local deadline=$((SECONDS + timeout))
    while [ -n "$(squeue --noheader --jobs="$1" 2>/dev/null)" ]; do
        [ "$SECONDS" -lt "$deadline" ] || fail "job $1 is still queued or running after $timeout s: $(squeue --jobs="$1")"
        sleep 0.2
    done
}

# the states of JOB's tasks, one line each
states() { scontrol --oneliner show job "$1" | grep -o 'JobState=[A-Z_]*' | cut -d= -f2; }

expect_completed() {
    local ended
    ended=$(states "$1" | sort -u | tr '\n' ' ')
    [ "$ended" = "COMPLETED " ] || fail "job $1 ended $ended; its logs: $(tail -n 5 "$work"/logs/*"$1"*.log 2>/dev/null)"
}

# runs COMMAND unsharded on both CPUs and as 4 shards with the merge after them; compares; prints the wall times
sharded_equals_whole() {
    local command=$1 out=$work/$1 whole job merge start whole_time sharded_time merge_time parts
    local -n options="${command}_options"
    mkdir -p "$out"
    case $command in
        explain) whole=(--output "$out/whole.npy") ;;
        *) whole=(--report "$out/whole") ;;
    esac
    step "lrp $command over $inputs inputs: one run on 2 CPUs"
    printf '#!/bin/bash\nexec %q %q' "$LRP" "$command" >"$out/whole.sh"
    printf ' %q' "${common[@]}" "${options[@]}" "${whole[@]}" --quiet >>"$out/whole.sh"
    start=$(now)
    job=$(sbatch --parsable --job-name="whole-$command" --cpus-per-task=2 --output="$work/logs/%x-%j.log" "$out/whole.sh")
    wait_for "$job"
    whole_time=$(seconds_since "$start")
    expect_completed "$job"

    step "lrp $command: $shards shards of a job array, merged after them"
    start=$(now)
    job=$(sbatch --parsable --array="1-$shards" --output="$work/logs/%x-%A_%a.log" \
        "$scripts/lrp-array.sbatch" "$out" "$command" "${common[@]}" "${options[@]}")
    merge=$(sbatch --parsable --dependency="afterok:$job" --output="$work/logs/%x-%j.log" "$scripts/lrp-merge.sbatch" "$out" "$command")
    wait_for "$job"
    wait_for "$merge"
    sharded_time=$(seconds_since "$start")
    expect_completed "$job"
    expect_completed "$merge"
    # the merge's own cost, without the scheduler's latency: once more, directly
    case $command in
        explain) parts=("$out"/relevance-*.npy) ;;
        evaluate) parts=("$out"/evaluation-*) ;;
        spray) parts=("$out"/spray-*) ;;
    esac
    start=$(now)
    "$LRP" merge "${parts[@]}" --output "$work/merged-again-$command" >/dev/null
    merge_time=$(seconds_since "$start")
    case $command in
        explain) python3 "$scripts/compare-outputs.py" relevance "$out/whole.npy" "$out/relevance.npy" ;;
        evaluate) python3 "$scripts/compare-outputs.py" metrics "$out/whole" "$out/evaluation" ;;
        spray) python3 "$scripts/compare-outputs.py" spray "$out/whole" "$out/spray" ;;
    esac || fail "the merged output of lrp $command differs from the unsharded run's"
    timings+=("$(printf '%-8s  one job on 2 CPUs: %5s s   %d shards and the merge job: %5s s   (lrp merge alone: %s s)' \
        "$command" "$whole_time" "$shards" "$sharded_time" "$merge_time")")
}

# `lrp merge PARTS` must fail with status 1 naming FRAGMENT and write nothing
merge_refuses() {
    local fragment=$1 result
    shift
    if result=$("$LRP" merge "$@" --output "$work/refused.npy" 2>&1); then fail "lrp merge accepted $*"; fi
    [[ $result == *"$fragment"* ]] || fail "lrp merge $*: expected a message naming '$fragment', got: $result"
    [ ! -e "$work/refused.npy" ] || fail "the refused merge wrote $work/refused.npy"
    echo "refused as it should: $result"
}

# explain in shards, SIGKILL task 2 mid-run, check the merge's refusals, re-queue the task and merge again
killed_task_is_requeued() {
    local out=$work/killed job merge partial pid deadline
    step "lrp explain: $shards shards; task 2 is killed mid-run, then re-queued"
    job=$(sbatch --parsable --array="1-$shards" --output="$work/logs/%x-%A_%a.log" \
        "$scripts/lrp-array.sbatch" "$out" explain "${common[@]}" "${explain_options[@]}" --batch-size 4)
    merge=$(sbatch --parsable --dependency="afterok:$job" --output="$work/logs/%x-%j.log" "$scripts/lrp-merge.sbatch" "$out" explain)
    # task 2 writes .relevance-2.npy.PID.UUID.partial while it runs; PID is the lrp process
    deadline=$((SECONDS + timeout))
    until partial=$(compgen -G "$out/.relevance-2.npy.*.partial"); do
        [ ! -e "$out/relevance-2.npy" ] || fail "task 2 finished before it could be killed"
        [ "$SECONDS" -lt "$deadline" ] || fail "task 2 did not start writing within $timeout s"
        sleep 0.05
    done
    pid=${partial#"$out/.relevance-2.npy."}
    pid=${pid%%.*}
    kill -KILL "$pid"
    echo "killed lrp (process $pid) of task ${job}_2 while it wrote $(basename "$partial")"
    wait_for "$job"
    [ "$(states "${job}_2")" = FAILED ] || fail "the killed task ${job}_2 ended $(states "${job}_2"), not FAILED"
    [ ! -e "$out/relevance-2.npy" ] || fail "the killed task left $out/relevance-2.npy"
    [ -e "$partial" ] || fail "the killed task's temporary file is gone: was it killed mid-run?"
    # Slurm does not merge: a failed task makes afterok unsatisfiable
    deadline=$((SECONDS + 15))
    until [ "$(squeue --noheader --format=%r --jobs="$merge")" = DependencyNeverSatisfied ]; do
        [ "$SECONDS" -lt "$deadline" ] ||
            fail "the merge job $merge waits for '$(squeue --noheader --format=%r --jobs="$merge")', not for a dependency never satisfied"
        sleep 0.2
    done
    merge_refuses "shard 2/$shards of $inputs inputs is missing" "$out"/relevance-*.npy
    merge_refuses "shard 3/$shards is given twice" "$out"/relevance-*.npy "$out/relevance-3.npy"

    scontrol requeue "${job}_2"
    deadline=$((SECONDS + timeout))
    until scontrol --oneliner show job "${job}_2" | grep -q 'JobState=COMPLETED.*Restarts=1'; do
        [ "$SECONDS" -lt "$deadline" ] || fail "the re-queued task ${job}_2 did not complete within $timeout s: $(states "${job}_2")"
        sleep 0.2
    done
    local debris
    debris=$(find "$out" -name '.*' -o -name '*.partial')
    [ -z "$debris" ] || fail "the re-run task left $debris"
    echo "the re-queued task completed and removed its predecessor's temporary file: nothing hidden or partial in $out"
    # the merge job's dependency stays unsatisfiable; its replacement waits for the re-run task alone
    scancel "$merge"
    merge=$(sbatch --parsable --dependency="afterok:${job}_2" --output="$work/logs/%x-%j.log" "$scripts/lrp-merge.sbatch" "$out" explain)
    wait_for "$merge"
    expect_completed "$merge"
    python3 "$scripts/compare-outputs.py" relevance "$work/explain/whole.npy" "$out/relevance.npy" ||
        fail "the merge after the re-queued task differs from the unsharded run"
}

timings=()
started=$SECONDS
load=$(cut -d' ' -f1 /proc/loadavg)
for command in explain evaluate spray; do sharded_equals_whole "$command"; done
killed_task_is_requeued
step "wall times on $(nproc) CPUs, $inputs inputs, from submission to the end of the last job (load average before: $load)"
printf '%s\n' "${timings[@]}"
echo "test-cluster: passed in $((SECONDS - started)) s"
