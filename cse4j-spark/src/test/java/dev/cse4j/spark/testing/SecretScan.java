package dev.cse4j.spark.testing;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Searches bytes for a secret in the forms it could take there: raw, hex (lower and upper case), and base64
 * (standard and URL-safe) at each of the three byte alignments the secret can have inside a longer encoded value
 * (a key inside a base64-encoded JSON document is encoded differently depending on its offset; the inner
 * characters of each alignment are searched, without the edge characters that depend on the neighbours).
 *
 * <pre>{@code
 * SecretScan scan = SecretScan.of(keyBytes);
 * List<String> findings = scan.search("event log " + file, Files.readAllBytes(file));
 * }</pre>
 */
public final class SecretScan {

    /** Fewest bytes a secret may have: shorter ones would match by chance. */
    private static final int MIN_SECRET = 12;

    private final Map<String, byte[]> needles;

    private SecretScan(Map<String, byte[]> needles) {
        this.needles = needles;
    }

    /**
     * @param secret the secret's bytes (a key, an account key), at least 12
     * @return a scan for every encoding of it
     */
    public static SecretScan of(byte[] secret) {
        if (secret.length < MIN_SECRET) {
            throw new IllegalArgumentException("A secret of " + secret.length + " bytes would match by chance; "
                + "give at least " + MIN_SECRET);
        }
        Map<String, byte[]> needles = new LinkedHashMap<>();
        needles.put("raw", secret.clone());
        needles.put("hex", ascii(HexFormat.of().formatHex(secret)));
        needles.put("HEX", ascii(HexFormat.of().withUpperCase().formatHex(secret)));
        for (int shift = 0; shift < 3; shift++) {
            needles.put("base64@" + shift, innerBase64(Base64.getEncoder(), secret, shift));
            needles.put("base64url@" + shift, innerBase64(Base64.getUrlEncoder(), secret, shift));
        }
        return new SecretScan(needles);
    }

    /**
     * @param where what the bytes are, for the findings
     * @param haystack the bytes to search
     * @return one line per encoding found: "{@code where}: encoding at offset N"
     */
    public List<String> search(String where, byte[] haystack) {
        List<String> findings = new ArrayList<>();
        needles.forEach((encoding, needle) -> {
            int at = indexOf(haystack, needle);
            if (at >= 0) {
                findings.add(where + ": " + encoding + " at offset " + at);
            }
        });
        return findings;
    }

    /**
     * The base64 characters that encode only the secret's bytes when the secret starts {@code shift} bytes into
     * a 3-byte group: the characters before the first full group boundary and the padding-dependent tail are cut.
     */
    private static byte[] innerBase64(Base64.Encoder encoder, byte[] secret, int shift) {
        byte[] shifted = new byte[shift + secret.length];
        System.arraycopy(secret, 0, shifted, shift, secret.length);
        String encoded = encoder.withoutPadding().encodeToString(shifted);
        int skipGroups = shift == 0 ? 0 : 1;
        int firstChar = skipGroups * 4;
        int fullGroups = (shift + secret.length) / 3;
        int lastChar = fullGroups * 4;
        return ascii(encoded.substring(firstChar, lastChar));
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
