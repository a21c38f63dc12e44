# A throwaway single-node Slurm for tests, sourced by test-cluster.sh: munged, slurmctld and slurmd (2 CPUs)
# as root on the loopback, with their configuration, sockets, state and logs in one folder, no systemd and no
# cgroups. local_slurm_start FOLDER starts them and exports SLURM_CONF for the client commands;
# local_slurm_stop stops what was started (call it from an EXIT trap). Both need root.

local_slurm_pids=()

# Fails, saying why, when a daemon does not come up; its log is printed.
local_slurm_start() {
    local folder=$1 port
    port=$((20000 + RANDOM % 20000))   # two test runs on one machine must not meet
    for program in munged slurmctld slurmd sbatch; do
        command -v "$program" >/dev/null || { echo "local-slurm: $program is not installed (Debian: slurm-wlm slurmctld slurmd munge)" >&2; return 1; }
    done
    [ "$(id -u)" = 0 ] || { echo "local-slurm: slurmd must run as root to start jobs; run as root" >&2; return 1; }
    mkdir -p "$folder/munge" "$folder/state" "$folder/spool"
    chmod 700 "$folder/munge"
    dd if=/dev/urandom of="$folder/munge/munge.key" bs=1024 count=1 status=none
    chmod 400 "$folder/munge/munge.key"
    munged --foreground --force --socket="$folder/munge/socket" --key-file="$folder/munge/munge.key" \
        --pid-file="$folder/munge/munged.pid" --seed-file="$folder/munge/seed" --log-file="$folder/munge/munged.log" \
        >"$folder/munged.stdout" 2>&1 &
    local_slurm_pids+=($!)
    local_slurm_wait "$folder" munged "$folder/munge/munged.log" test -S "$folder/munge/socket" || return 1

    cat >"$folder/slurm.conf" <<CONF
ClusterName=lrptest
SlurmctldHost=localhost(127.0.0.1)
SlurmctldPort=$port
SlurmdPort=$((port + 1))
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
# cred_expire: a re-queued job starts again after this many seconds (default 120)
AuthInfo=socket=$folder/munge/socket,cred_expire=5
StateSaveLocation=$folder/state
SlurmdSpoolDir=$folder/spool
SlurmctldPidFile=$folder/slurmctld.pid
SlurmdPidFile=$folder/slurmd.pid
SlurmctldLogFile=$folder/slurmctld.log
SlurmdLogFile=$folder/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
SwitchType=switch/none
SchedulerType=sched/backfill
SchedulerParameters=bf_interval=1,sched_interval=1
SelectType=select/cons_tres
SelectTypeParameters=CR_CPU
ReturnToService=2
# finished jobs stay known long enough to be re-queued; killed tasks get 5 s between SIGTERM and SIGKILL
MinJobAge=600
KillWait=5
# 2 CPUs, also on a machine with fewer
SlurmdParameters=config_overrides
NodeName=localhost NodeAddr=127.0.0.1 CPUs=2 State=UNKNOWN
PartitionName=lrp Nodes=localhost Default=YES MaxTime=INFINITE State=UP
CONF
    export SLURM_CONF=$folder/slurm.conf
    slurmctld -D -c -f "$SLURM_CONF" >"$folder/slurmctld.stdout" 2>&1 &
    local_slurm_pids+=($!)
    local_slurm_wait "$folder" slurmctld "$folder/slurmctld.log" scontrol ping || return 1
    slurmd -D -N localhost -f "$SLURM_CONF" >"$folder/slurmd.stdout" 2>&1 &
    local_slurm_pids+=($!)
    local_slurm_wait "$folder" slurmd "$folder/slurmd.log" local_slurm_node_idle || return 1
}

local_slurm_node_idle() {
    sinfo --noheader --nodes=localhost --format=%t 2>/dev/null | grep -qx "idle"
}

# local_slurm_wait FOLDER NAME LOG CHECK...: waits up to 30 s for CHECK to succeed while the daemon NAME, started
# last, runs; else prints the end of its LOG and of its output (FOLDER/NAME.stdout) and fails.
local_slurm_wait() {
    local folder=$1 name=$2 log=$3 pid=${local_slurm_pids[-1]} problem
    shift 3
    problem="did not come up within 30 s"
    for _ in $(seq 60); do
        "$@" >/dev/null 2>&1 && return 0
        if ! kill -0 "$pid" 2>/dev/null; then
            problem="exited at start"
            break
        fi
        sleep 0.5
    done
    echo "local-slurm: $name $problem; the end of $log and of its output:" >&2
    tail -n 15 "$log" "$folder/$name.stdout" >&2 2>/dev/null
    return 1
}

# Cancels what is still queued or running, then stops the daemons in reverse order, each by its process id.
local_slurm_stop() {
    local index
    if [ -n "${SLURM_CONF:-}" ] && scontrol ping >/dev/null 2>&1; then
        scancel --user=root 2>/dev/null || true   # every job of this throwaway cluster is the test's
        for _ in $(seq 20); do [ -z "$(squeue --noheader 2>/dev/null)" ] && break; sleep 0.5; done
    fi
    for ((index = ${#local_slurm_pids[@]} - 1; index >= 0; index--)); do
        kill "${local_slurm_pids[index]}" 2>/dev/null || true
        wait "${local_slurm_pids[index]}" 2>/dev/null || true
    done
    local_slurm_pids=()
}
