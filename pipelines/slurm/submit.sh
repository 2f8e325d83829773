#!/usr/bin/env bash
# Submits a sharded run as a Slurm array plus a merge job that starts only when every task succeeded:
#
#   pipelines/slurm/submit.sh generate --shards 16 --count 100000 --out data/campaign.parquet \
#       [--seed S] [--stack FILE] [--row-group N] [--pipeline FILE] [--threads T] [--max-parallel K] \
#       [--tasks LIST] [--cli "dotnet /opt/mlnet-inverse/mlnet-inverse.dll"] [--logs DIR] [-- extra sbatch options]
#   pipelines/slurm/submit.sh score --shards 16 --out results/scores.parquet \
#       --score-args "--model artifacts/model.zip --in targets.parquet [--engine onnx] ..." [--threads T] [...]
#
# Prints "array_job=<id>" and "merge_job=<id>" on stdout. Resubmitting the same command is safe: finished shards
# are skipped, interrupted ones resume, and the merge rewrites the same file; --tasks 3,7 resubmits only those shards
# (the merge still takes all N). Extra sbatch options after "--"
# (e.g. --partition=cpu --time=04:00:00 --mem-per-cpu=2G --account=A) go to both jobs. Paths are made absolute, so
# the jobs may start in any folder of a shared file system.
set -euo pipefail

here="$(cd "$(dirname "$0")" && pwd)"
usage() { sed -n '2,14p' "$0" | sed 's/^# \{0,1\}//' >&2; exit 2; }

[ $# -ge 1 ] || usage
mode="$1"; shift
case "$mode" in generate|score) ;; -h|--help) usage ;; *) echo "error: unknown mode '$mode' (generate or score)" >&2; exit 2 ;; esac

tasks="" shards="" out="" count="" seed="" stack="" row_group="" pipeline="" threads=1 max_parallel="" logs="logs/slurm" score_args=""
cli="${MLNET_INVERSE:-mlnet-inverse}"
extra=()
while [ $# -gt 0 ]; do
  case "$1" in
    --shards) shards="$2"; shift 2 ;;
    --out) out="$2"; shift 2 ;;
    --count) count="$2"; shift 2 ;;
    --seed) seed="$2"; shift 2 ;;
    --stack) stack="$2"; shift 2 ;;
    --row-group) row_group="$2"; shift 2 ;;
    --pipeline) pipeline="$2"; shift 2 ;;
    --threads) threads="$2"; shift 2 ;;
    --max-parallel) max_parallel="$2"; shift 2 ;;
    --tasks) tasks="$2"; shift 2 ;;
    --cli) cli="$2"; shift 2 ;;
    --logs) logs="$2"; shift 2 ;;
    --score-args) score_args="$2"; shift 2 ;;
    --) shift; extra=("$@"); break ;;
    *) echo "error: unknown option '$1'" >&2; usage ;;
  esac
done

[[ "$shards" =~ ^[1-9][0-9]*$ ]] || { echo "error: --shards must be a whole number >= 1; got '$shards'" >&2; exit 2; }
[ -n "$out" ] || { echo "error: --out FILE is required" >&2; exit 2; }
if [ "$mode" = generate ] && [ -z "$count" ] && [ -z "$pipeline" ]; then
  echo "error: --count N is required (or --pipeline FILE)" >&2; exit 2
fi

absolute() { realpath -m -- "$1"; }
mkdir -p "$logs"
export MLNET_SHARDS="$shards" MLNET_OUT="$(absolute "$out")" MLNET_INVERSE="$cli" MLNET_THREADS="$threads"
export MLNET_COUNT="$count" MLNET_SEED="$seed" MLNET_ROW_GROUP="$row_group" MLNET_SCORE_ARGS="$score_args"
export MLNET_STACK="" MLNET_PIPELINE=""
if [ -n "$stack" ]; then MLNET_STACK="$(absolute "$stack")"; fi
if [ -n "$pipeline" ]; then MLNET_PIPELINE="$(absolute "$pipeline")"; fi
mkdir -p "$(dirname "$MLNET_OUT")"
logs="$(absolute "$logs")"

# Array indices are the 1-based shard numbers.
array_spec="${tasks:-1-${shards}}${max_parallel:+%$max_parallel}"
task_script="$here/$mode.sbatch"
# --parsable prints "id" or "id;cluster".
array_job="$(sbatch --parsable --array="$array_spec" --cpus-per-task="$threads" \
  --output="$logs/%x-%A_%a.out" "${extra[@]}" "$task_script")"
array_job="${array_job%%;*}"
merge_job="$(sbatch --parsable --dependency="afterok:$array_job" --kill-on-invalid-dep=yes \
  --output="$logs/%x-%j.out" "${extra[@]}" "$here/merge.sbatch")"
merge_job="${merge_job%%;*}"

echo "submitted $mode array job $array_job (tasks $array_spec of $shards shards) and merge job $merge_job (after all succeed) -> $MLNET_OUT; logs in $logs" >&2
echo "array_job=$array_job"
echo "merge_job=$merge_job"
