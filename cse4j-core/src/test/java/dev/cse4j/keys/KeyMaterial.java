package dev.cse4j.keys;

import com.azure.json.JsonProviders;
import com.azure.json.JsonReader;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.security.interfaces.RSAPrivateCrtKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Secret key material in every textual form it could leak in: hex (both cases), base64, base64url and decimal. A
 * leak check fails if any 16-character run of any form appears in a text, so partial leaks are caught too.
 */
final class KeyMaterial {
    private static final int WINDOW = 16;
    private static final List<String> JWK_PRIVATE_MEMBERS = List.of("k", "d", "p", "q", "dp", "dq", "qi");

    private final List<String> forms = new ArrayList<>();

    private KeyMaterial() {
    }

    static KeyMaterial of(byte[]... secrets) {
        KeyMaterial material = new KeyMaterial();
        for (byte[] secret : secrets) {
            material.add(secret);
        }
        return material;
    }

    static KeyMaterial of(RSAPrivateCrtKey key) {
        return of(unsigned(key.getPrivateExponent()), unsigned(key.getPrimeP()), unsigned(key.getPrimeQ()),
            unsigned(key.getPrimeExponentP()), unsigned(key.getPrimeExponentQ()), unsigned(key.getCrtCoefficient()));
    }

    /** The private members ({@code k}, {@code d}, {@code p} ...) of a JWK's JSON. */
    static KeyMaterial ofJwk(String json) {
        KeyMaterial material = new KeyMaterial();
        try (JsonReader reader = JsonProviders.createReader(json)) {
            @SuppressWarnings("unchecked")
            Map<String, Object> members = (Map<String, Object>) reader.readUntyped();
            for (String name : JWK_PRIVATE_MEMBERS) {
                if (members.get(name) instanceof String) {
                    material.add(Base64.getUrlDecoder().decode((String) members.get(name)));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        assertThat(material.forms).as("private members of the JWK").isNotEmpty();
        return material;
    }

    KeyMaterial and(KeyMaterial other) {
        KeyMaterial both = new KeyMaterial();
        both.forms.addAll(forms);
        both.forms.addAll(other.forms);
        return both;
    }

    /** Fails if the text shows any of the key material. */
    void assertNotIn(String text) {
        String shown = String.valueOf(text);
        for (String form : forms) {
            for (int i = 0; i + WINDOW <= form.length(); i++) {
                String run = form.substring(i, i + WINDOW);
                assertThat(shown).as("text must not contain key material").doesNotContain(run);
            }
        }
    }

    /** Fails if the message or {@code toString()} of the exception, or of any cause or suppressed one, leaks. */
    void assertNotLeakedBy(Throwable thrown) {
        for (Throwable t = thrown; t != null; t = t.getCause()) {
            assertNotIn(t.getMessage());
            assertNotIn(t.toString());
            for (Throwable suppressed : t.getSuppressed()) {
                assertNotLeakedBy(suppressed);
            }
        }
    }

    /** Fails if the object's {@code toString()} leaks. */
    void assertNotInToString(Object object) {
        assertNotIn(object.toString());
    }

    private void add(byte[] secret) {
        String hex = HexFormat.of().formatHex(secret);
        forms.add(hex);
        forms.add(hex.toUpperCase(Locale.ROOT));
        forms.add(Base64.getEncoder().encodeToString(secret));
        forms.add(Base64.getUrlEncoder().withoutPadding().encodeToString(secret));
        forms.add(new BigInteger(1, secret).toString());
    }

    private static byte[] unsigned(BigInteger value) {
        byte[] bytes = value.toByteArray();
        return bytes[0] == 0 ? java.util.Arrays.copyOfRange(bytes, 1, bytes.length) : bytes;
    }
}
