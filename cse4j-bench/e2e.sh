#!/bin/sh
# The end-to-end harness: the plain BlobClient (A), Microsoft's EncryptedBlobClient 2.0 (B) and cse4j (C) upload and
# download the same random files through one Azurite, each transfer in a fresh JVM, and a table of medians is printed
# and written to cse4j-bench/target/e2e/e2e-results.md. Builds the bench jar and starts the pinned Azurite (in memory,
# on free loopback ports; installed with npm ci when missing) first, and stops it at the end. Needs Java 17+ and
# Node.js/npm. Options (see cse4j-bench/README.md), e.g. a quick look:
#   cse4j-bench/e2e.sh --sizes 64 --rounds 1 --heaps default
# With `fleet` first, it runs the fleet harness instead (cse4j's rewrap and migrate against the plain SDK, in one JVM):
#   cse4j-bench/e2e.sh fleet --blobs 1000 --migrate-mib 256 --rounds 1
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bin/azurite.sh"
./mvnw -B -q -DskipTests -pl cse4j-bench -am package
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
mkdir -p cse4j-bench/target/e2e
azurite_pid=
trap stop_azurite EXIT
trap 'exit 130' INT
trap 'exit 143' TERM
main=dev.cse4j.bench.e2e.Harness
if [ "${1:-}" = fleet ]; then main=dev.cse4j.bench.e2e.FleetHarness; shift; fi
start_azurite cse4j-bench/target/e2e/azurite.log
CSE4J_E2E_AZURITE_PID=$azurite_pid "$java" -cp cse4j-bench/target/benchmarks.jar "$main" "$@"
