#!/bin/sh
# cse4j quickstart: build the CLI, start the pinned Azurite on free loopback ports, generate a key, upload a sample
# file encrypted, show that the stored bytes are not the plaintext (and the stored encryptiondata), download it and
# a range back, verify both, and stop Azurite. Needs Java 17+, Maven (via ./mvnw) and Node.js/npm.
set -eu

root=$(cd "$(dirname "$0")" && pwd)
cd "$root"
. "$root/bin/azurite.sh"
work=$(mktemp -d "${TMPDIR:-/tmp}/cse4j-quickstart.XXXXXX")
azurite_pid=

cleanup() {
  status=$?
  stop_azurite
  rm -rf "$work"
  if [ "$status" -ne 0 ]; then
    echo "quickstart: FAILED (exit $status)" >&2
  fi
  exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

step() { printf '\n==> %s\n' "$*"; }
fail() { echo "quickstart: $*" >&2; exit 1; }

for tool in java node npm; do
  command -v "$tool" >/dev/null 2>&1 || fail "$tool is not on the PATH (the quickstart needs Java 17+, Maven's wrapper and Node.js/npm)."
done

step "Building the cse4j CLI (./mvnw -B -q -DskipTests -pl cse4j-cli -am package)"
./mvnw -B -q -DskipTests -pl cse4j-cli -am package || fail "the build failed (see the errors above)."

step "Starting the pinned Azurite"
start_azurite "$work/azurite.log" || fail "Azurite did not start (see above)."

cse4j() { "$root/bin/cse4j" "$@"; }

step "Generating an AES-256 key encryption key"
key=$work/quickstart-kek.jwk
cse4j key generate --type aes256 --kid quickstart-kek --out "$key"

step "Making a sample file (1 MiB + 17 bytes of text)"
sample=$work/sample.txt
awk 'BEGIN { for (i = 0; i < 12000; i++) printf "Line %06d: client-side encrypted with cse4j; the storage service only sees ciphertext.\n", i }' \
  | head -c 1048593 >"$sample"
echo "sample: $(wc -c <"$sample") bytes, starts with: $(head -c 40 "$sample")"

step "Uploading it encrypted (protocol 2.1, 64 KiB regions)"
cse4j blob upload --container quickstart --name sample.txt --file "$sample" --key "$key" \
  --protocol 2.1 --region-size 65536

step "Inspecting what the service stores (no key needed)"
cse4j blob inspect --container quickstart --name sample.txt | tee "$work/inspect.txt"
field() { sed -n "s/^$1: //p" "$work/inspect.txt"; }
[ "$(field encrypted)" = yes ] || fail "the stored blob is not encrypted."
[ "$(field 'plaintext size')" = "$(wc -c <"$sample" | tr -d ' ')" ] || fail "the plaintext size does not match."
stored_hex=$(field 'stored first bytes (hex)')
sample_hex=$(head -c 16 "$sample" | od -An -v -tx1 | tr -d ' \n')
case $stored_hex in
  *"$sample_hex"*) fail "the stored bytes contain the plaintext." ;;
esac
echo "check: the stored bytes ($(printf %s "$stored_hex" | cut -c1-32)...) do not contain the sample's first 16 bytes ($sample_hex)"
[ -n "$(field encryptiondata)" ] || fail "no encryptiondata is stored with the blob."

step "Downloading it back and verifying"
cse4j blob download --container quickstart --name sample.txt --file "$work/roundtrip.txt" --key "$key"
cmp "$sample" "$work/roundtrip.txt" || fail "the downloaded file differs from the sample."
echo "check: the download is byte-identical to the sample"

step "Downloading a range (bytes 65500-65599, across the first region boundary) and verifying"
cse4j blob download --container quickstart --name sample.txt --file "$work/range.txt" --key "$key" \
  --offset 65500 --count 100
tail -c +65501 "$sample" | head -c 100 >"$work/expected-range.txt"
cmp "$work/expected-range.txt" "$work/range.txt" || fail "the downloaded range differs from the sample's bytes."
echo "check: bytes 65500-65599 match the sample"

step "Stopping Azurite"
stop_azurite

printf '\nquickstart: OK: encrypted upload, stored ciphertext checked, full and ranged downloads verified.\n'
