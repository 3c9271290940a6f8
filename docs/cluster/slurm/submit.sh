#!/bin/bash
# Queues the generation of a dataset in PARTS parts (a job array) and its merge, which starts when
# every part has finished well. Run from anywhere:
#   GAITID_DATA=/shared/gaitid bash docs/cluster/slurm/submit.sh 16
# Options of the jobs (preset, records, seed, gaitid checkout): see generate.sbatch.
set -euo pipefail
parts=${1:-16}
here=$(cd "$(dirname "$0")" && pwd)
: "${GAITID_DATA:?set GAITID_DATA to a folder on the shared file system}"
export GAITID_DATA
export GAITID_DIR=${GAITID_DIR:-$(cd "$here/../../.." && pwd)}
mkdir -p "$GAITID_DATA/logs"
job=$(sbatch --parsable --array="0-$((parts - 1))" --output="$GAITID_DATA/logs/generate-%A_%a.out" "$here/generate.sbatch")
job=${job%%;*}
sbatch --parsable --dependency="afterok:$job" --output="$GAITID_DATA/logs/merge-%j.out" "$here/merge.sbatch" >/dev/null
echo "queued: generation array $job ($parts parts), then the merge into $GAITID_DATA/dataset; logs in $GAITID_DATA/logs"
