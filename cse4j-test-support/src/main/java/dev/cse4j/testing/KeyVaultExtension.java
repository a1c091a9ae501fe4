package dev.cse4j.testing;

import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One {@link KeyVaultServer} per test class: started before the class's {@code @BeforeAll} methods, its counts
 * reset and throttling stopped before each test (keys stay), stopped after the class.
 *
 * <pre>{@code
 * @RegisterExtension
 * static final KeyVaultExtension KEY_VAULT = new KeyVaultExtension();
 *
 * @BeforeAll
 * static void keys() {
 *     kid = KEY_VAULT.server().createRsaKey("kek", 2048);
 * }
 * }</pre>
 */
public final class KeyVaultExtension implements BeforeAllCallback, BeforeEachCallback, AfterAllCallback {
    private volatile KeyVaultServer server;

    /** Creates the extension; register it on a static field. */
    public KeyVaultExtension() {
    }

    /**
     * The class's server.
     *
     * @throws IllegalStateException outside the class's tests and {@code @BeforeAll} methods, or if the extension
     *     is registered on an instance field
     */
    public KeyVaultServer server() {
        KeyVaultServer running = server;
        if (running == null) {
            throw new IllegalStateException("The Key Vault server runs only while the test class runs; register "
                + "KeyVaultExtension with @RegisterExtension on a static field.");
        }
        return running;
    }

    @Override
    public void beforeAll(ExtensionContext context) {
        server = KeyVaultServer.start();
    }

    @Override
    public void beforeEach(ExtensionContext context) {
        KeyVaultServer running = server();
        running.stopThrottling();
        running.resetCounts();
    }

    @Override
    public void afterAll(ExtensionContext context) {
        KeyVaultServer running = server;
        server = null;
        if (running != null) {
            running.close();
        }
    }
}
