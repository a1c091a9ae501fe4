package dev.cse4j.testing;

import com.azure.core.client.traits.AzureNamedKeyCredentialTrait;
import com.azure.core.client.traits.AzureSasCredentialTrait;
import com.azure.core.client.traits.ConnectionStringTrait;
import com.azure.core.client.traits.EndpointTrait;
import com.azure.core.client.traits.HttpTrait;
import com.azure.core.credential.AzureNamedKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.http.HttpClient;
import com.azure.core.http.HttpPipelineBuilder;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import reactor.core.publisher.Mono;

import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The bad configurations every encrypted client builder refuses, with the one message each, as dynamic tests: each
 * module runs them on each of its builders, so that all refuse the same mistakes in the same words. A builder is
 * driven through azure-core's builder traits (which every cse4j builder implements), never contacting a service.
 */
public final class BuilderRefusals {
    /** A loopback endpoint where nothing listens: nothing is sent by a refused build. */
    public static final String ENDPOINT = "http://127.0.0.1:1/devstoreaccount1";
    /** A connection string to {@link #ENDPOINT} for every service, with Azurite's well-known account key. */
    public static final String CONNECTION_STRING = "DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;"
        + "AccountKey=" + Azurite.ACCOUNT_KEY + ";BlobEndpoint=" + ENDPOINT + ";QueueEndpoint=" + ENDPOINT
        + ";TableEndpoint=" + ENDPOINT + ";";

    public static final String NO_OPTIONS = "No client-side encryption options: set clientSideEncryptionOptions("
        + "ClientSideEncryptionOptions.builder().key(keyEncryptionKey, keyWrapAlgorithm).build()), or with "
        + "keyResolver(...) instead of key(...) to read only.";
    public static final String BOTH_LOCATIONS = "Set only one of connectionString(...) and endpoint(...).";
    public static final String CONNECTION_STRING_WITH_CREDENTIAL = "connectionString(...) carries its own "
        + "credential; remove credential(AzureSasCredential), or use endpoint(...) with the credential.";
    public static final String TWO_CREDENTIALS = "More than one credential is set (credential(AzureNamedKeyCredential), "
        + "credential(AzureSasCredential)); keep one.";
    public static final String SAS_IN_URL_AND_CREDENTIAL = "More than one credential is set (a SAS in the endpoint "
        + "URL, credential(AzureNamedKeyCredential)); keep one.";
    public static final String NO_CREDENTIAL = "No credential for endpoint(...): set credential(...) (a shared key, "
        + "token or SAS credential) or sasToken(...), put a SAS in the endpoint URL, or use connectionString(...) "
        + "instead.";
    public static final String PIPELINE_AND_HTTP_CLIENT = "pipeline(...) already holds the HTTP client, the policies "
        + "and the authentication; remove httpClient(...) (build the pipeline with them, and give the service with "
        + "endpoint(...)).";
    public static final String PIPELINE_AND_SAS_IN_URL = "pipeline(...) already holds the HTTP client, the policies "
        + "and the authentication; remove a SAS in the endpoint URL (build the pipeline with them, and give the "
        + "service with endpoint(...)).";
    public static final String BAD_PROVIDER = "System property cse4j.crypto.provider is 'bogus'; use auto, jdk or "
        + "corretto.";
    private static final String PROVIDER_PROPERTY = "cse4j.crypto.provider";
    /** A SAS signature that refusals must never quote. */
    private static final String SECRET = "c2VjcmV0U2lnbmF0dXJl";
    /**
     * A connection string whose {@code BlobEndpoint} no URI parser takes (a space in its path, at character 39) and
     * carries a SAS; its queue and table endpoints are fine, but the Azure SDK parses every endpoint of a connection
     * string whichever service it builds for.
     */
    public static final String UNPARSABLE_BLOB_ENDPOINT = "DefaultEndpointsProtocol=http;"
        + "AccountName=devstoreaccount1;AccountKey=" + Azurite.ACCOUNT_KEY + ";BlobEndpoint=" + ENDPOINT
        + "/not a url?sv=2021-08-06&sig=" + SECRET + ";QueueEndpoint=" + ENDPOINT + ";TableEndpoint=" + ENDPOINT + ";";
    private static final String FIX_URL = "write it as an absolute http or https URL, with spaces and other reserved "
        + "characters percent-encoded";

    private BuilderRefusals() {
    }

    /**
     * @param complete a new builder with the encryption options and the resource's names set, but nothing about
     *     the connection
     * @param withoutOptions a new builder with the names set, but no encryption options
     * @param build builds the client
     */
    public static <B extends ConnectionStringTrait<B> & EndpointTrait<B> & HttpTrait<B>
        & AzureNamedKeyCredentialTrait<B> & AzureSasCredentialTrait<B>> Stream<DynamicTest> tests(
        Supplier<B> complete, Supplier<B> withoutOptions, Consumer<B> build) {
        AzureNamedKeyCredential key = new AzureNamedKeyCredential("devstoreaccount1", Azurite.ACCOUNT_KEY);
        AzureSasCredential sas = new AzureSasCredential("sv=2021-08-06&sig=abc");
        HttpClient nothing = request -> Mono.empty();
        return Stream.of(
            refusal("noOptions", NO_OPTIONS, () -> build.accept(withoutOptions.get()
                .connectionString(CONNECTION_STRING))),
            refusal("connectionStringAndEndpoint", BOTH_LOCATIONS, () -> build.accept(complete.get()
                .connectionString(CONNECTION_STRING).endpoint(ENDPOINT))),
            refusal("connectionStringWithCredential", CONNECTION_STRING_WITH_CREDENTIAL, () -> build.accept(
                complete.get().connectionString(CONNECTION_STRING).credential(sas))),
            refusal("twoCredentials", TWO_CREDENTIALS, () -> build.accept(complete.get().endpoint(ENDPOINT)
                .credential(key).credential(sas))),
            refusal("sasInUrlAndCredential", SAS_IN_URL_AND_CREDENTIAL, () -> build.accept(complete.get()
                .endpoint(ENDPOINT + "?sv=2021-08-06&sig=abc").credential(key))),
            refusal("endpointWithoutCredential", NO_CREDENTIAL, () -> build.accept(complete.get()
                .endpoint(ENDPOINT))),
            refusal("pipelineAndHttpClient", PIPELINE_AND_HTTP_CLIENT, () -> build.accept(complete.get()
                .endpoint(ENDPOINT).pipeline(new HttpPipelineBuilder().httpClient(nothing).build())
                .httpClient(nothing))),
            refusal("pipelineAndSasInUrl", PIPELINE_AND_SAS_IN_URL, () -> build.accept(complete.get()
                .endpoint(ENDPOINT + "?sv=2021-08-06&sig=abc").pipeline(new HttpPipelineBuilder().httpClient(nothing)
                .build()))),
            DynamicTest.dynamicTest("unknownCryptoProviderProperty", () -> {
                B builder = withSystemProperty(PROVIDER_PROPERTY, "bogus", complete);
                String saved = System.getProperty(PROVIDER_PROPERTY);
                System.setProperty(PROVIDER_PROPERTY, "bogus");
                try {
                    assertRefused(BAD_PROVIDER, () -> build.accept(builder.connectionString(CONNECTION_STRING)));
                } finally {
                    restore(PROVIDER_PROPERTY, saved);
                }
            }),
            DynamicTest.dynamicTest("unparsableConnectionString", () -> {
                IllegalStateException e = assertThrows(IllegalStateException.class,
                    () -> build.accept(complete.get().connectionString("not a connection string")));
                assertTrue(e.getMessage().startsWith("The connection settings are invalid ("), e.getMessage());
                assertTrue(e.getMessage().endsWith("); check connectionString(...)."), e.getMessage());
            }),
            DynamicTest.dynamicTest("unparsableEndpointWithSas_refusedWithoutQuotingTheSas", () -> {
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> build.accept(complete.get()
                    .endpoint(ENDPOINT + "/c?sv=2021-08-06&sig=" + SECRET + "%zz")));
                assertQuotesNoSecret(e);
            }),
            DynamicTest.dynamicTest("unparsableEndpointInConnectionString_refusedWithoutQuotingItsSecrets", () -> {
                String endpoint = ENDPOINT + "/not a url?sv=2021-08-06&sig=" + SECRET;
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> build.accept(complete.get()
                    .connectionString("DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey="
                        + Azurite.ACCOUNT_KEY + ";BlobEndpoint=" + endpoint + ";QueueEndpoint=" + endpoint
                        + ";TableEndpoint=" + endpoint + ";")));
                assertTrue(e.getMessage().startsWith("The connection settings are invalid ("), e.getMessage());
                assertTrue(e.getMessage().endsWith("); check connectionString(...)."), e.getMessage());
                assertQuotesNoSecret(e);
            }));
    }

    /**
     * An endpoint the Azure SDK cannot parse, carrying a SAS, given to the SDK's own builder and to an encrypted
     * builder, with what they log captured ({@link StandardError}: run these from an {@code @Isolated} test class of a
     * module whose tests log through SLF4J's simple logger to {@code System.err}). The SDK logs the SAS at error
     * before it throws (the control: what reached a user's logs while cse4j let the SDK parse first); the encrypted
     * builder refuses each such setting itself, typed, naming it with the parser's reason and position, and nothing
     * logged or thrown holds the SAS or the account key.
     *
     * @param sdk hands a connection string to the Azure SDK's builder for the same service
     * @param complete a new builder with the encryption options and the resource's names set, but nothing about
     *     the connection
     * @param buildSync builds the synchronous client
     * @param buildAsync builds the asynchronous client
     */
    public static <B extends ConnectionStringTrait<B> & EndpointTrait<B>> Stream<DynamicNode>
        unparsableEndpointsLogNoSecret(Consumer<String> sdk, Supplier<B> complete, Consumer<B> buildSync,
        Consumer<B> buildAsync) {
        return Stream.of(DynamicContainer.dynamicContainer("sync", unparsableEndpoints(sdk, complete, buildSync)),
            DynamicContainer.dynamicContainer("async", unparsableEndpoints(sdk, complete, buildAsync)));
    }

    private static <B extends ConnectionStringTrait<B> & EndpointTrait<B>> Stream<DynamicTest> unparsableEndpoints(
        Consumer<String> sdk, Supplier<B> complete, Consumer<B> build) {
        return Stream.of(
            DynamicTest.dynamicTest("sdkBuilder_unparsableBlobEndpoint_logsTheSasAtError", () -> {
                String log = StandardError.capture(() -> assertThrows(RuntimeException.class,
                    () -> sdk.accept(UNPARSABLE_BLOB_ENDPOINT)));
                assertTrue(log.contains("ERROR") && log.contains("sig=" + SECRET), "the control logged: " + log);
            }),
            refusedUnlogged("unparsableBlobEndpoint_refusedBeforeTheSdkParsesIt_nothingLoggedHoldsTheSas",
                "The connection settings are invalid (the connection string's BlobEndpoint is not a valid URL: "
                    + "Illegal character in path at character 39; " + FIX_URL + "); check connectionString(...).",
                () -> build.accept(complete.get().connectionString(UNPARSABLE_BLOB_ENDPOINT))),
            refusedUnlogged("endpointWithoutScheme_refusedBeforeTheSdkParsesIt_nothingLoggedHoldsTheSas",
                "The connection settings are invalid (the endpoint is not a valid URL: no protocol; " + FIX_URL
                    + "); check endpoint(...).",
                () -> build.accept(complete.get().endpoint("devstoreaccount1.blob.localhost/c?sv=2021-08-06&sig="
                    + SECRET))),
            refusedUnlogged("accountNameNoUrlTakes_refusedNamingTheUrlBuiltFromIt",
                "The connection settings are invalid (the blob URL built from the connection string's "
                    + "DefaultEndpointsProtocol, AccountName and EndpointSuffix is not a valid URL: Illegal character "
                    + "in authority at character 7; " + FIX_URL + "); check connectionString(...).",
                () -> build.accept(complete.get().connectionString("DefaultEndpointsProtocol=http;AccountName=dev "
                    + "store;AccountKey=" + Azurite.ACCOUNT_KEY + ";"))));
    }

    private static DynamicTest refusedUnlogged(String name, String message, Runnable build) {
        return DynamicTest.dynamicTest(name, () -> {
            IllegalStateException[] refusal = new IllegalStateException[1];
            String log = StandardError.capture(() -> refusal[0] = assertThrows(IllegalStateException.class,
                build::run));
            assertTrue(!log.contains(SECRET) && !log.contains(Azurite.ACCOUNT_KEY), "logged a secret: " + log);
            assertEquals(message, refusal[0].getMessage());
            assertQuotesNoSecret(refusal[0]);
        });
    }

    /** Neither the refusal nor anything it carries (causes, suppressed) quotes the signature or the account key. */
    private static void assertQuotesNoSecret(Throwable refusal) {
        Deque<Throwable> pending = new ArrayDeque<>(List.of(refusal));
        Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
        while (!pending.isEmpty()) {
            Throwable t = pending.pop();
            if (!seen.add(t)) {
                continue;
            }
            String text = String.valueOf(t);
            assertTrue(!text.contains(SECRET) && !text.contains(Azurite.ACCOUNT_KEY), "quotes a secret: " + text);
            if (t.getCause() != null) {
                pending.push(t.getCause());
            }
            pending.addAll(List.of(t.getSuppressed()));
        }
    }

    /** A builder made while the system property has {@code value}: making it must neither fail nor read it. */
    private static <B> B withSystemProperty(String name, String value, Supplier<B> make) {
        String saved = System.getProperty(name);
        System.setProperty(name, value);
        try {
            return make.get();
        } finally {
            restore(name, saved);
        }
    }

    private static void restore(String name, String saved) {
        if (saved == null) {
            System.clearProperty(name);
        } else {
            System.setProperty(name, saved);
        }
    }

    private static DynamicTest refusal(String name, String message, Runnable build) {
        return DynamicTest.dynamicTest(name, () -> assertRefused(message, build));
    }

    private static void assertRefused(String message, Runnable build) {
        IllegalStateException e = assertThrows(IllegalStateException.class, build::run);
        assertEquals(message, e.getMessage());
    }
}
