package dev.cse4j.core.implementation;

import com.azure.core.util.logging.ClientLogger;

/**
 * How cse4j logs, through azure-core's {@link ClientLogger} (so SLF4J users see it under the class's name): what was
 * decided (key id, protocol, region count, provider) at verbose, every refusal at info. Never key material,
 * plaintext or wrapped keys: only ids, names, counts and the refusal's message, which holds none of them.
 */
public final class Logs {
    private Logs() {
    }

    /**
     * Logs a refusal at info and returns it, to be thrown: {@code throw Logs.refused(LOGGER, new X(...))}.
     */
    public static <E extends RuntimeException> E refused(ClientLogger logger, E refusal) {
        logger.atInfo().addKeyValue("refusal", refusal.getClass().getSimpleName()).log(refusal::getMessage);
        return refusal;
    }
}
