#!/bin/sh
# Writes cse4j-cli/src/main/cds/cse4j.classlist: the classes the command loads for a blob upload and download of 9 MiB
# (8 MiB or more, for which a JVM without the optimizing JIT compiler, as bin/cse4j starts a command on one object on
# linux-x86_64, loads the Amazon Corretto Crypto Provider), a queue send and receive, and a table put and get through
# a local Azurite, in the JDK's class-list format. The build dumps them into a CDS archive beside the jar
# (cse4j-cli/target/cse4j.jsa) that bin/cse4j maps at start. Run it from the repository's root after changing
# dependencies or the commands' code paths (the process test LauncherScriptTest says when the archive no longer
# serves most classes):
#   ./mvnw -B -q -DskipTests -pl cse4j-cli -am package && cse4j-cli/src/main/cds/make-classlist.sh
# Needs the Java that builds the project, and Node.js/npm for Azurite (installed with npm ci when missing).
set -eu
root=$(cd "$(dirname "$0")/../../../.." && pwd)
cd "$root"
work=$(mktemp -d)
. bin/azurite.sh
start_azurite "$work/azurite.log" >/dev/null
trap 'stop_azurite; rm -rf "$work"' EXIT

head -c 9437184 /dev/urandom > "$work/data"
n=0
run() {
  n=$((n + 1))
  CSE4J_JAVA_OPTS="-Xshare:off -XX:DumpLoadedClassList=$work/list.$n" bin/cse4j "$@" >/dev/null
}
run key generate --type aes256 --kid classlist --out "$work/kek.jwk"
run blob upload --container classlist --name data --file "$work/data" --key "$work/kek.jwk"
run blob download --container classlist --name data --file "$work/copy" --key "$work/kek.jwk"
run queue send --queue classlist --message hello --key "$work/kek.jwk"
run queue receive --queue classlist --key "$work/kek.jwk"
run table put --table classlist --partition-key p --row-key r --set a=b --encrypt a --key "$work/kek.jwk"
run table get --table classlist --partition-key p --row-key r --key "$work/kek.jwk"
cmp -s "$work/data" "$work/copy"

# every class once, in the order first loaded; the JDK's header comment once
out=cse4j-cli/src/main/cds/cse4j.classlist
cat "$work"/list.* | awk '!seen[$0]++' > "$out"
echo "$out: $(grep -c '^[^#@]' "$out") classes"
