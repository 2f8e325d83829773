#!/usr/bin/env bash
# A real one-node Slurm cluster on this machine, for the cluster test (tests/MlNetInverse.Tests/Cluster).
#
#   .ci/local-slurm.sh start    install slurm-wlm + munge (apt) when missing, start munged, slurmctld and slurmd
#   .ci/local-slurm.sh stop     stop the daemons this script started (by their pid files)
#   .ci/local-slurm.sh env      print the line to export so sbatch/squeue find this cluster
#
# Everything lives in $MLNET_INVERSE_SLURM_DIR (default /tmp/mlnet-inverse-slurm): slurm.conf, state, logs, pids.
# No accounting, no cgroups (proctrack/linuxproc, task/none), so it runs in a container without systemd. The node
# gets this machine's real CPUs and memory from `slurmd -C`. Needs root (it runs the daemons and jobs as root).
set -euo pipefail

DIR="${MLNET_INVERSE_SLURM_DIR:-/tmp/mlnet-inverse-slurm}"
CONF="$DIR/slurm.conf"
# Non-default ports, so a cluster already configured on this machine is not disturbed.
CTLD_PORT="${MLNET_INVERSE_SLURMCTLD_PORT:-16817}"
SLURMD_PORT="${MLNET_INVERSE_SLURMD_PORT:-16818}"

log() { echo "local-slurm: $*" >&2; }

install_packages() {
  if command -v slurmctld >/dev/null && command -v slurmd >/dev/null && command -v munged >/dev/null && command -v sbatch >/dev/null; then
    return 0
  fi
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then sudo="sudo"; fi
  log "installing slurm-wlm and munge with apt"
  export DEBIAN_FRONTEND=noninteractive
  # Wait (10 minutes) for another apt process holding the dpkg lock, as on a fresh machine, instead of failing at once.
  $sudo apt-get -o DPkg::Lock::Timeout=600 update -q
  $sudo apt-get -o DPkg::Lock::Timeout=600 install -y -q --no-install-recommends slurm-wlm munge
}

start_munge() {
  if munge -n </dev/null >/dev/null 2>&1; then
    log "munged already answers; using it"
    return 0
  fi
  if [ ! -s /etc/munge/munge.key ]; then
    log "creating /etc/munge/munge.key"
    mungekey --create --keyfile=/etc/munge/munge.key
    chown munge:munge /etc/munge/munge.key
    chmod 0400 /etc/munge/munge.key
  fi
  mkdir -p /run/munge /var/log/munge /var/lib/munge
  chown munge:munge /run/munge /var/log/munge /var/lib/munge
  chmod 0755 /run/munge
  runuser -u munge -- munged --pid-file=/run/munge/munged.pid
  # Only a munged started here is stopped by `stop`.
  cp /run/munge/munged.pid "$DIR/munged.pid"
  for _ in $(seq 1 20); do
    if munge -n </dev/null >/dev/null 2>&1; then return 0; fi
    sleep 0.5
  done
  log "munged did not answer"
  return 1
}

write_conf() {
  # slurmd -C prints this machine's real layout: "NodeName=host CPUs=.. Boards=.. ... RealMemory=..".
  local layout
  layout="$(slurmd -C | head -n 1 | sed -E 's/^NodeName=[^ ]+ //')"
  mkdir -p "$DIR/ctld" "$DIR/d"
  cat >"$CONF" <<EOF
# Written by .ci/local-slurm.sh: one node on localhost, no accounting, no cgroups.
ClusterName=mlnetinverse
SlurmctldHost=localhost
SlurmctldPort=$CTLD_PORT
SlurmdPort=$SLURMD_PORT
SlurmUser=root
SlurmdUser=root
AuthType=auth/munge
CredType=cred/munge
StateSaveLocation=$DIR/ctld
SlurmdSpoolDir=$DIR/d
SlurmctldPidFile=$DIR/slurmctld.pid
SlurmdPidFile=$DIR/slurmd.pid
SlurmctldLogFile=$DIR/slurmctld.log
SlurmdLogFile=$DIR/slurmd.log
ProctrackType=proctrack/linuxproc
TaskPlugin=task/none
SelectType=select/cons_tres
SelectTypeParameters=CR_Core
SchedulerType=sched/backfill
JobAcctGatherType=jobacct_gather/none
AccountingStorageType=accounting_storage/none
JobCompType=jobcomp/none
MpiDefault=none
ReturnToService=2
# A job whose dependency can never be met (the array failed) is cancelled instead of pending forever.
DependencyParameters=kill_invalid_depend
# Finished jobs stay visible to scontrol for 10 minutes (there is no accounting to ask).
MinJobAge=600
SchedulerTimeSlice=5
NodeName=localhost NodeAddr=127.0.0.1 $layout State=UNKNOWN
PartitionName=debug Nodes=localhost Default=YES MaxTime=INFINITE State=UP
EOF
}

running() { [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; }

start() {
  install_packages
  mkdir -p "$DIR"
  if running "$DIR/slurmctld.pid" || running "$DIR/slurmd.pid"; then
    log "slurm daemons of an earlier start are running; restarting them"
    stop_pid_file "$DIR/slurmd.pid" slurmd
    stop_pid_file "$DIR/slurmctld.pid" slurmctld
  fi
  start_munge
  write_conf
  export SLURM_CONF="$CONF"
  # -c: start with an empty job state (a leftover state dir from an earlier run is ignored).
  slurmctld -c -f "$CONF"
  slurmd -f "$CONF" -N localhost
  for _ in $(seq 1 60); do
    state="$(sinfo -h -N -o %T 2>/dev/null | head -n 1 || true)"
    case "$state" in
      idle*|mixed*|allocated*) log "node localhost is $state; export SLURM_CONF=$CONF"; return 0 ;;
    esac
    sleep 0.5
  done
  log "the node did not become idle (state '${state:-none}'); slurmctld log:"
  tail -n 20 "$DIR/slurmctld.log" >&2 || true
  log "slurmd log:"
  tail -n 20 "$DIR/slurmd.log" >&2 || true
  return 1
}

stop_pid_file() {
  local file="$1" name="$2"
  if running "$file"; then
    local pid
    pid="$(cat "$file")"
    kill "$pid" 2>/dev/null || true
    for _ in $(seq 1 20); do
      kill -0 "$pid" 2>/dev/null || break
      sleep 0.25
    done
    log "stopped $name ($pid)"
  fi
  rm -f "$file"
}

stop() {
  stop_pid_file "$DIR/slurmd.pid" slurmd
  stop_pid_file "$DIR/slurmctld.pid" slurmctld
  stop_pid_file "$DIR/munged.pid" munged
}

case "${1:-}" in
  start) start ;;
  stop) stop ;;
  env) echo "export SLURM_CONF=$CONF" ;;
  *) echo "usage: $0 start|stop|env" >&2; exit 2 ;;
esac
