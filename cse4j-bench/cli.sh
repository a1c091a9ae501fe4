#!/bin/sh
# The command line against the plain SDK, as issue 16 first measured cse4j: `bin/cse4j blob upload|download` with its
# defaults (cli) and the e2e harness's plain BlobClient child (TransferChild plain: plain) move the same random files in
# turn (reversed in even rounds), each in a fresh JVM, each upload into a fresh Azurite and a round's downloads from
# one; and the command once more with only the JDK's own CDS archive (cli-jdk-cds; C1 only as cli), as it started before
# the build made one, and with the JIT's optimizing compiler (cli-c2: CSE4J_JAVA_OPTS=-XX:TieredStopAtLevel=4), as it
# ran before bin/cse4j chose C1 only on linux-x86_64 (cse4j-cli/README.md, "Start-up"). Prints each run's wall time, CPU
# time (user + system) and peak RSS as GNU time measures the process, then medians and ratios; every run is kept in
# cse4j-bench/target/cli/runs.txt. Builds both jars first; the pinned Azurite runs in memory, on free loopback ports.
# Needs Java 17+, Node.js/npm and GNU time (/usr/bin/time, Debian's package `time`).
#   cse4j-bench/cli.sh [ROUNDS [SIZE_MIB ...]]      default: 5 rounds of 1 MiB and 256 MiB
set -eu
root=$(cd "$(dirname "$0")/.." && pwd)
cd "$root"
. "$root/bin/azurite.sh"
rounds=${1:-5}
[ $# -gt 0 ] && shift
sizes=${*:-1 256}
if [ ! -x /usr/bin/time ]; then
  echo "cse4j-bench/cli.sh needs GNU time as /usr/bin/time (Debian: apt-get install time)." >&2
  exit 1
fi
./mvnw -B -q -DskipTests -pl cse4j-bench,cse4j-cli -am package
if [ -n "${JAVA_HOME:-}" ] && [ -x "$JAVA_HOME/bin/java" ]; then java=$JAVA_HOME/bin/java; else java=java; fi
jdk_cds=-XX:SharedArchiveFile=$(dirname "$(dirname "$(readlink -f "$(command -v "$java")")")")/lib/server/classes.jsa
work=cse4j-bench/target/cli
mkdir -p "$work"
runs=$work/runs.txt
: > "$runs"
azurite_pid=
trap 'stop_azurite; rm -f "$work"/data-* "$work"/out "$work"/empty' EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

: > "$work/empty"
rm -f "$work/kek.jwk"
bin/cse4j key generate --type aes256 --kid bench --out "$work/kek.jwk" >/dev/null
# the plain child takes a key file too (hex), and does not use it
head -c 32 /dev/urandom | od -An -tx1 | tr -d ' \n' > "$work/key.hex"

# timed LABEL OP SIZE COMMAND...: runs COMMAND under GNU time, appends "LABEL OP SIZE wall cpu rss_kib" to runs.txt
timed() {
  label=$1 op=$2 size=$3
  shift 3
  /usr/bin/time -o "$work/time.txt" -f "%e %U %S %M" "$@" >"$work/run.log" 2>&1 \
    || { echo "cse4j-bench/cli.sh: $label $op $size MiB failed:" >&2; cat "$work/run.log" >&2; exit 1; }
  awk -v l="$label" -v o="$op" -v s="$size" '{ printf "%s %s %s %.2f %.2f %d\n", l, o, s, $1, $2 + $3, $4 }' \
    "$work/time.txt" | tee -a "$runs"
}

# transfer CLIENT OP SIZE
transfer() {
  data=$work/data-$3
  case $1-$2 in
    plain-upload) timed "$@" "$java" -cp cse4j-bench/target/benchmarks.jar dev.cse4j.bench.e2e.TransferChild plain \
      upload "$data" bench "plain-$3" "$work/key.hex" ;;
    plain-download) timed "$@" "$java" -cp cse4j-bench/target/benchmarks.jar dev.cse4j.bench.e2e.TransferChild \
      plain download "$work/out" bench "plain-$3" "$work/key.hex" ;;
    cli-upload) timed "$@" bin/cse4j blob upload --container bench --name "cli-$3" --file "$data" \
      --key "$work/kek.jwk" --overwrite ;;
    cli-download) timed "$@" bin/cse4j blob download --container bench --name "cli-$3" --file "$work/out" \
      --key "$work/kek.jwk" ;;
    cli-jdk-cds-upload) CSE4J_JAVA_OPTS=$jdk_cds timed "$@" bin/cse4j blob upload --container bench \
      --name "cli-$3" --file "$data" --key "$work/kek.jwk" --overwrite ;;
    cli-c2-upload) CSE4J_JAVA_OPTS=-XX:TieredStopAtLevel=4 timed "$@" bin/cse4j blob upload --container bench \
      --name "cli-$3" --file "$data" --key "$work/kek.jwk" --overwrite ;;
    cli-c2-download) CSE4J_JAVA_OPTS=-XX:TieredStopAtLevel=4 timed "$@" bin/cse4j blob download --container bench \
      --name "cli-$3" --file "$work/out" --key "$work/kek.jwk" ;;
    cli-jdk-cds-download) CSE4J_JAVA_OPTS=$jdk_cds timed "$@" bin/cse4j blob download --container bench \
      --name "cli-$3" --file "$work/out" --key "$work/kek.jwk" ;;
  esac
  rm -f "$work/out"
}

# fresh_azurite: a new Azurite holding only the container (and the empty blob that made it). In memory, Azurite gets
# slower as it fills (a 1 GiB upload took 20.6, 22.2, 25.3 and 25.0 s as the first to fourth of a round into one
# Azurite, and the client spent more CPU waiting), so every upload starts from the same state rather than after the
# round's earlier ones; it also frees overwritten blobs' extents only every 10 minutes and refuses uploads (409
# MemoryExtentStoreAtSizeLimit) once they fill half the machine's memory.
fresh_azurite() {
  stop_azurite
  start_azurite "$work/azurite.log" >/dev/null
  bin/cse4j blob upload --container bench --name empty --file "$work/empty" --key "$work/kek.jwk" \
    --overwrite >/dev/null
}

for size in $sizes; do
  head -c $((size * 1024 * 1024)) /dev/urandom > "$work/data-$size"
  round=1
  while [ "$round" -le "$rounds" ]; do
    order="plain cli cli-jdk-cds cli-c2"
    [ $((round % 2)) -eq 0 ] && order="cli-c2 cli-jdk-cds cli plain"
    for client in $order; do
      fresh_azurite
      transfer "$client" upload "$size"
    done
    # the downloads share one Azurite holding the two blobs they read, uploaded untimed
    fresh_azurite
    "$java" -cp cse4j-bench/target/benchmarks.jar dev.cse4j.bench.e2e.TransferChild plain upload "$work/data-$size" \
      bench "plain-$size" "$work/key.hex" >"$work/run.log" 2>&1 \
      || { echo "cse4j-bench/cli.sh: plain's untimed upload of $size MiB failed:" >&2; cat "$work/run.log" >&2
           exit 1; }
    bin/cse4j blob upload --container bench --name "cli-$size" --file "$work/data-$size" --key "$work/kek.jwk" \
      --overwrite >/dev/null
    for client in $order; do
      transfer "$client" download "$size"
    done
    round=$((round + 1))
  done
  rm -f "$work/data-$size"
done

# medians per client, op and size; then cli / plain, cli / cli-jdk-cds and cli / cli-c2
median() { sort -n | awk '{ v[NR] = $1 } END { print (NR % 2 ? v[(NR + 1) / 2] : (v[NR / 2] + v[NR / 2 + 1]) / 2) }'; }
medians=$work/medians.txt
: > "$medians"
for size in $sizes; do
  for op in upload download; do
    for client in plain cli cli-jdk-cds cli-c2; do
      line="$client $op $size"
      for column in 4 5 6; do
        line="$line $(awk -v c="$client" -v o="$op" -v s="$size" -v k="$column" \
          '$1 == c && $2 == o && $3 == s { print $k }' "$runs" | median)"
      done
      echo "$line" >> "$medians"
    done
  done
done
echo
echo "medians of $rounds rounds (wall s, CPU s, peak RSS MiB) and ratios (wall, CPU, RSS):"
awk -v sizes="$sizes" '
  { wall[$1, $2, $3] = $4; cpu[$1, $2, $3] = $5; rss[$1, $2, $3] = $6 / 1024 }
  END {
    n = split(sizes, size, " ")
    split("plain cli cli-jdk-cds cli-c2", client, " ")
    for (i = 1; i <= n; i++) {
      for (j = 1; j <= 2; j++) {
        s = size[i]; o = j == 1 ? "upload" : "download"
        printf "%s MiB %s:", s, o
        for (k = 1; k <= 4; k++) {
          c = client[k]
          printf " %s %.2f / %.2f / %.0f;", c, wall[c, o, s], cpu[c, o, s], rss[c, o, s]
        }
        p = "plain"; a = "cli"; b = "cli-jdk-cds"; c = "cli-c2"
        printf " cli/plain %.2f %.2f %.2f; cli/cli-jdk-cds %.2f %.2f %.2f; cli/cli-c2 %.2f %.2f %.2f\n",
          wall[a, o, s] / wall[p, o, s], cpu[a, o, s] / cpu[p, o, s], rss[a, o, s] / rss[p, o, s],
          wall[a, o, s] / wall[b, o, s], cpu[a, o, s] / cpu[b, o, s], rss[a, o, s] / rss[b, o, s],
          wall[a, o, s] / wall[c, o, s], cpu[a, o, s] / cpu[c, o, s], rss[a, o, s] / rss[c, o, s]
      }
    }
  }' "$medians"
