package dev.cse4j.testing;

import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ExtensionContext.Namespace;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * JUnit 5 extension that gives tests the one Azurite of their JVM. The server starts on first use (installing
 * Azurite with {@code npm ci} if needed), is shared by every test class, and stops after the last test of the
 * run. Safe with parallel test execution: concurrent first uses start a single server.
 *
 * <p>Declare a parameter of type {@link Azurite} on a test constructor, test method, lifecycle method or
 * {@code @BeforeAll}:
 * <pre>{@code
 * @ExtendWith(AzuriteExtension.class)
 * class UploadTest {
 *     @Test
 *     void upload_thenDownload_returnsSameBytes(Azurite azurite) {
 *         BlobServiceClient blobs = new BlobServiceClientBuilder()
 *             .connectionString(azurite.connectionString()).buildClient();
 *         ...
 *     }
 * }
 * }</pre>
 * The shared instance must not be closed by tests ({@link Azurite#close()} throws); a test that needs a private
 * server calls {@link Azurite#start()} itself. If Azurite cannot start, every test asking for it fails with the
 * same {@link AzuriteException}; none is skipped.
 */
public final class AzuriteExtension implements ParameterResolver {

    private static final Namespace NAMESPACE = Namespace.create(AzuriteExtension.class);

    /** Creates the extension; JUnit does this for {@code @ExtendWith(AzuriteExtension.class)}. */
    public AzuriteExtension() {
    }

    @Override
    public boolean supportsParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return parameterContext.getParameter().getType() == Azurite.class;
    }

    @Override
    public Azurite resolveParameter(ParameterContext parameterContext, ExtensionContext extensionContext) {
        return shared(extensionContext);
    }

    /**
     * @param context any extension context of the run
     * @return the run's shared Azurite, started on the first call
     */
    static Azurite shared(ExtensionContext context) {
        return context.getRoot().getStore(NAMESPACE)
            .getOrComputeIfAbsent(SharedAzurite.class, key -> new SharedAzurite(AzuriteLauncher.launch(
                AzuriteOptions.defaults(), true)), SharedAzurite.class)
            .azurite();
    }

    /** Stops the shared server when JUnit closes the root store, i.e. after the last test. */
    private record SharedAzurite(Azurite azurite) implements ExtensionContext.Store.CloseableResource {
        @Override
        public void close() {
            azurite.stop();
        }
    }
}
