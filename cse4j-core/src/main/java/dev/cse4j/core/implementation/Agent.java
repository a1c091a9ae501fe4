package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptionData;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.Properties;

/**
 * Who wrote the data: the {@code KeyWrappingMetadata.EncryptionLibrary} value cse4j stores, {@code "cse4j <version>"}.
 *
 * <p>It must never contain the word "Java": the legacy table readers of every SDK treat a 1.0 entity whose agent
 * contains "Java" as written by the Java v8 SDK and derive its property IVs in another order (docs/formats.md §8.3).
 */
public final class Agent {
    /** The cse4j version, from the build. */
    public static final String VERSION = readVersion();
    /** The {@code EncryptionLibrary} value cse4j writes. */
    public static final String ENCRYPTION_LIBRARY = "cse4j " + VERSION;

    private Agent() {
    }

    /** The {@code KeyWrappingMetadata} cse4j writes. */
    public static Map<String, String> keyWrappingMetadata() {
        return Map.of(EncryptionData.ENCRYPTION_LIBRARY, ENCRYPTION_LIBRARY);
    }

    private static String readVersion() {
        try (InputStream in = Agent.class.getResourceAsStream("/dev/cse4j/core/cse4j.properties")) {
            if (in == null) {
                return "unknown";
            }
            Properties p = new Properties();
            p.load(in);
            return p.getProperty("version", "unknown");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
