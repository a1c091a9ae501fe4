#!/bin/sh
# The fleet job's throughput figures (README "Throughput"): migrate and verify by the packaged CLI (bin/cse4j) and
# by the job on a standalone cluster of 1 and of 2 workers, on identical containers of one Azurite, in one run
# (FleetThroughputTest, tags cluster and bench). Builds what it needs, then prints the table it wrote to
# cse4j-spark/target/spark/bench/fleet-throughput.md.
#   cse4j-spark/bench.sh [-Dcse4j.bench.blobs=600] [-Dcse4j.bench.blobSize=262144] [-Dcse4j.bench.concurrency=8]
# On a shared machine run it alone (it uses every core): e.g. under the build lock.
set -eu
cd "$(dirname "$0")/.."
./mvnw -B -q -DskipTests -Dmaven.javadoc.skip=true -pl cse4j-cli,cse4j-spark -am install
./mvnw -B -q -Dmaven.javadoc.skip=true -pl cse4j-spark verify -Dgroups=bench "$@"
cat cse4j-spark/target/spark/bench/fleet-throughput.md
