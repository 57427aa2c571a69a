#!/usr/bin/env bash
# The Dask engine against a separately started `dask scheduler` and two `dask worker` processes,
# as a user with a cluster would run it: the workers start in another folder with their own Dask
# config, the output folder is given relative to the client's folder. The output must equal the
# local engine's, also when a worker process is killed with SIGKILL in the middle of the run.
#
#   bash bench/dask_external.sh CORPUS [WORKDIR]
#
# CORPUS is a folder or .jsonl file (e.g. raw/ or a corpus from bench/make_corpus.py); WORKDIR
# (default: a new folder under /tmp) receives the outputs and the cluster's logs.
set -euo pipefail

corpus=$(realpath "${1:?usage: dask_external.sh CORPUS [WORKDIR]}")
work=${2:-$(mktemp -d /tmp/cleaner-dask-external.XXXX)}
here=$(cd "$(dirname "$0")/.." && pwd)
bin=$(dirname "$(command -v cleaner)")
port=${DASK_PORT:-8796}
mkdir -p "$work/dask-config" "$work/workers"
cat > "$work/dask-config/cleaner.yaml" <<'EOF'
distributed:
  nanny:
    pre-spawn-environ:
      MALLOC_TRIM_THRESHOLD_: null
EOF

pids=()
stop() { kill "${pids[@]}" 2>/dev/null || true; wait 2>/dev/null || true; }
trap stop EXIT
"$bin/dask" scheduler --port "$port" --dashboard-address :0 > "$work/scheduler.log" 2>&1 &
pids+=($!)
sleep 3
for name in w1 w2; do
  (cd "$work/workers" && DASK_CONFIG="$work/dask-config" exec "$bin/dask" worker "tcp://127.0.0.1:$port" \
    --nthreads 1 --name "$name" > "$work/$name.log" 2>&1) &
  pids+=($!)
done
sleep 6

cd "$work"
same() {
  local a=$1 b=$2 f
  for f in corpus.jsonl clusters.jsonl removed.jsonl comments.jsonl; do cmp -s "$a/$f" "$b/$f" || { echo "DIFFERENT: $f"; return 1; }; done
  diff -rq "$a/docs" "$b/docs" > /dev/null || { echo "DIFFERENT: docs/"; return 1; }
  python3 - "$a" "$b" <<'EOF'
import json, sys
a, b = (json.load(open(f"{d}/manifest.json"))["summary"]["dedup"] for d in sys.argv[1:])
sys.exit(0 if a == b else "DIFFERENT: dedup statistics")
EOF
  echo "identical: corpus, clusters, removed, comments, docs/, dedup statistics"
}

echo "== local engine, 2 workers"
/usr/bin/time -f "wall %e s" "$bin/cleaner" run "$corpus" --out local --config "$here/config.toml" --workers 2
echo "== Dask engine on tcp://127.0.0.1:$port"
/usr/bin/time -f "wall %e s" "$bin/cleaner" run "$corpus" --out dask --config "$here/config.toml" \
  --engine dask --scheduler "tcp://127.0.0.1:$port"
same dask local
echo "== Dask engine, one worker process killed with SIGKILL after ${KILL_AFTER:-5} s"
"$bin/cleaner" run "$corpus" --out dask-killed --config "$here/config.toml" \
  --engine dask --scheduler "tcp://127.0.0.1:$port" &
run=$!
sleep "${KILL_AFTER:-5}"
victim=$(pgrep -f spawn_main -P "$(pgrep -f "dask worker.*--name w2" | head -1)" | head -1)
echo "killing worker process $victim"
kill -9 "$victim"
wait "$run"
grep -h "killed by signal" "$work"/w2.log
same dask-killed local
echo "outputs and logs in $work"
