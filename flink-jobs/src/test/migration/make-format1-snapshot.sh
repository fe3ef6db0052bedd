#!/usr/bin/env bash
# Writes src/test/resources/migration/curate-comparisons-format1.snapshot: curation state in ValidEvent's first format
# (no origin), made by the code of commit 67b86d5 in a temporary work tree. CurateComparisonsTest restores it.
# Nothing is installed into the local Maven repository: the old modules are only built inside that work tree.
set -euo pipefail
here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
repo="$(git -C "$here" rev-parse --show-toplevel)"
out="$repo/flink-jobs/src/test/resources/migration/curate-comparisons-format1.snapshot"
tree="$(mktemp -d)/format1"
git -C "$repo" worktree add --detach "$tree" 67b86d5 >/dev/null
trap 'git -C "$repo" worktree remove --force "$tree"' EXIT
cp "$here/MakeCurateComparisonsFormat1Snapshot.java" "$tree/flink-jobs/src/test/java/io/prefpipe/flink/curate/"
mkdir -p "$(dirname "$out")"
(cd "$tree" && FIXTURE_OUT="$out" mvn -B -q -pl flink-jobs -am test -Dtest=MakeCurateComparisonsFormat1Snapshot \
    -Dsurefire.failIfNoSpecifiedTests=false)
echo "wrote $out ($(stat -c %s "$out") bytes)"
