#!/usr/bin/env bash
# Warm-JVM resolver time for a large dynamic executable (default /usr/bin/node). Not a test.
#   bench/elf-resolve.sh [PROGRAM]
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
[ -f "$root/cli/target/nanokit.jar" ] || (cd "$root" && mvn -B -q -DskipTests package)
exec java -cp "$root/cli/target/nanokit.jar" "$root/bench/ResolveBench.java" "${1:-/usr/bin/node}"
