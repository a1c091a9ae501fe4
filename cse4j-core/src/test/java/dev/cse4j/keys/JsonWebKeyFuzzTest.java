package dev.cse4j.keys;

import com.azure.core.cryptography.KeyEncryptionKey;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.testing.AllocationMeter;
import dev.cse4j.testing.FuzzSeeds;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Fuzz targets of key files (docs/fuzzing.md): {@link JsonWebKey#parse(String)}, {@link JsonWebKeySet#parse(String)}
 * and {@link JsonWebKeySet#read(Path)} (the file reader's bounds and byte-order-mark check included). Invariant: a
 * valid result, or {@link JsonWebKeyException} and nothing else; a key read back from its own JSON is the same key;
 * an AES key that allows wrapping unwraps what it wrapped, or refuses with {@link KeyWrapException}; at most
 * {@link #ALLOCATION_BASE} + {@link #ALLOCATION_PER_BYTE} bytes per input byte allocated (plus the file reader's one
 * {@link KeyFiles#MAX_SIZE}-byte buffer).
 */
class JsonWebKeyFuzzTest {
    static final long ALLOCATION_BASE = 1 << 20;
    static final long ALLOCATION_PER_BYTE = 64;
    private static final byte[] CEK = new byte[32];
    private static final Path FILE = fuzzFile();

    @FuzzTest
    void parseKey(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        JsonWebKey key;
        try {
            key = AllocationMeter.steady(bound(input.length), "JsonWebKey.parse",
                () -> JsonWebKey.parse(json));
        } catch (JsonWebKeyException refused) {
            return;
        }
        checkKey(key);
    }

    @FuzzTest
    void parseKeySet(byte[] input) {
        String json = new String(input, StandardCharsets.UTF_8);
        JsonWebKeySet set;
        try {
            set = AllocationMeter.steady(bound(input.length), "JsonWebKeySet.parse",
                () -> JsonWebKeySet.parse(json));
        } catch (JsonWebKeyException refused) {
            return;
        }
        checkSet(set);
    }

    @FuzzTest
    void readKeyFile(byte[] input) throws IOException {
        Files.write(FILE, input);
        JsonWebKeySet set;
        try {
            set = AllocationMeter.steady(KeyFiles.MAX_SIZE + bound(input.length), "JsonWebKeySet.read",
                () -> JsonWebKeySet.read(FILE));
        } catch (JsonWebKeyException refused) {
            return;
        }
        checkSet(set);
    }

    private static void checkSet(JsonWebKeySet set) {
        assertThat(set.keys()).isNotEmpty();
        JsonWebKeySet again = JsonWebKeySet.parse(set.toJson());
        assertThat(again.keys()).hasSameSizeAs(set.keys());
        for (JsonWebKey key : set.keys()) {
            assertThat(set.find(key.keyId())).containsSame(key);
            checkKey(key);
        }
    }

    /** The key read back from its own JSON is the same key, and it wraps as its members say. */
    private static void checkKey(JsonWebKey key) {
        JsonWebKey again = JsonWebKey.parse(key.toJson());
        assertThat(again.toJson()).isEqualTo(key.toJson());
        assertThat(again.keyId()).isEqualTo(key.keyId());
        assertThat(again.sizeInBits()).isEqualTo(key.sizeInBits());
        assertThat(key.toString()).doesNotContain(key.toJson());
        if (!JsonWebKey.OCT.equals(key.keyType())) {
            return; // RSA operations cost what the key's size says; parsing is what is fuzzed here
        }
        KeyEncryptionKey kek;
        try {
            kek = key.toKeyEncryptionKey();
        } catch (JsonWebKeyException refusedForWrapping) {
            return;
        }
        String algorithm = key.defaultWrapAlgorithm();
        byte[] wrapped;
        try {
            wrapped = kek.wrapKey(algorithm, CEK);
        } catch (KeyWrapException wrapNotAllowed) {
            return;
        }
        try {
            assertThat(kek.unwrapKey(algorithm, wrapped)).isEqualTo(CEK);
        } catch (KeyWrapException unwrapNotAllowed) {
            assertThat(key.keyOperations()).isPresent();
        }
    }

    static long bound(int inputLength) {
        return ALLOCATION_BASE + ALLOCATION_PER_BYTE * inputLength;
    }

    private static Path fuzzFile() {
        try {
            Path file = Files.createTempFile("cse4j-fuzz-", ".jwk");
            file.toFile().deleteOnExit();
            return file;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Test
    void committedSeeds_areReferenceKeysAndEdgeCases() throws IOException {
        Map<String, byte[]> keys = keySeeds();
        FuzzSeeds.check(JsonWebKeyFuzzTest.class, "parseKey", keys);
        Map<String, byte[]> sets = new LinkedHashMap<>(keys);
        sets.putAll(setSeeds());
        FuzzSeeds.check(JsonWebKeyFuzzTest.class, "parseKeySet", sets);
        Map<String, byte[]> files = new LinkedHashMap<>(sets);
        files.put("byte-order-mark", concat(new byte[] {(byte) 0xEF, (byte) 0xBB, (byte) 0xBF}, keys.get("oct-256")));
        files.put("not-utf8", new byte[] {'{', (byte) 0xC3, '}'});
        FuzzSeeds.check(JsonWebKeyFuzzTest.class, "readKeyFile", files);
    }

    static Map<String, byte[]> keySeeds() throws IOException {
        Map<String, String> seeds = new LinkedHashMap<>();
        for (int bits : new int[] {128, 192, 256}) {
            seeds.put("oct-" + bits, oct("local:kek" + bits, bits, ""));
        }
        seeds.put("oct-256-alg-ops-use", oct("k", 256, ",\"alg\":\"A256KW\",\"use\":\"enc\",\"key_ops\":"
            + "[\"wrapKey\",\"unwrapKey\"]"));
        seeds.put("oct-wrap-only", oct("k", 256, ",\"key_ops\":[\"wrapKey\"]"));
        seeds.put("oct-alg-mismatch", oct("k", 128, ",\"alg\":\"A256KW\""));
        seeds.put("oct-use-sig", oct("k", 256, ",\"use\":\"sig\""));
        try (var in = JsonWebKeyFuzzTest.class.getResourceAsStream("rsa3072-reference-key.jwk.json")) {
            seeds.put("rsa3072-reference", new String(in.readAllBytes(), StandardCharsets.UTF_8));
        }
        seeds.put("rsa-public-tiny", "{\"kty\":\"RSA\",\"kid\":\"r\",\"n\":\"AQAB\",\"e\":\"AQAB\"}");
        seeds.put("no-kid", "{\"kty\":\"oct\",\"k\":\"AAAAAAAAAAAAAAAAAAAAAA\"}");
        seeds.put("empty", "");
        seeds.put("array", "[]");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        seeds.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return bytes;
    }

    static Map<String, byte[]> setSeeds() {
        Map<String, String> seeds = new LinkedHashMap<>();
        seeds.put("set-two", "{\"keys\":[" + oct("a", 256, "") + "," + oct("b", 128, "") + "]}");
        seeds.put("set-duplicate-kid", "{\"keys\":[" + oct("a", 256, "") + "," + oct("a", 128, "") + "]}");
        seeds.put("set-empty", "{\"keys\":[]}");
        seeds.put("set-not-array", "{\"keys\":{}}");
        Map<String, byte[]> bytes = new LinkedHashMap<>();
        seeds.forEach((name, text) -> bytes.put(name, text.getBytes(StandardCharsets.UTF_8)));
        return bytes;
    }

    private static String oct(String kid, int bits, String more) {
        byte[] k = new byte[bits / 8];
        for (int i = 0; i < k.length; i++) {
            k[i] = (byte) i;
        }
        return "{\"kty\":\"oct\",\"kid\":\"" + kid + "\",\"k\":\""
            + Base64.getUrlEncoder().withoutPadding().encodeToString(k) + "\"" + more + "}";
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] both = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, both, a.length, b.length);
        return both;
    }
}
