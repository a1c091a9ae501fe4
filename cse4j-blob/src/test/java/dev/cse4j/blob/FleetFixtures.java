package dev.cse4j.blob;

import com.azure.core.http.HttpPipelineCallContext;
import com.azure.core.http.policy.HttpPipelineSyncPolicy;
import com.azure.core.util.BinaryData;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.BlobContainerClient;
import com.azure.storage.blob.BlobServiceClientBuilder;
import com.azure.storage.blob.models.AccessTier;
import com.azure.storage.blob.models.BlobHttpHeaders;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.specialized.cryptography.EncryptionVersion;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.testing.Azurite;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Blobs of every writer for the fleet operation tests, and what is stored of them. */
final class FleetFixtures {
    static final String OLD_ID = Fixtures.KEY_ID;
    static final String NEW_ID = "local:kek2";

    private FleetFixtures() {
    }

    /** The key encryption key rotated to. */
    static AesKeyWrapKey newKek() {
        return Fixtures.otherKek(NEW_ID);
    }

    /** Who wrote a blob, and in which protocol. */
    enum Writer {
        MICROSOFT_V2("2.0"), MICROSOFT_V2_1("2.1"), LEGACY_V1("1.0"), CSE4J_V2_0("2.0"), CSE4J_V2_1("2.1");

        final String protocol;

        Writer(String protocol) {
            this.protocol = protocol;
        }

        /** Writes {@code data} as blob {@code name} encrypted with the vectors' key (id {@link #OLD_ID}). */
        void write(Azurite azurite, BlobContainerClient container, String name, byte[] data) throws Exception {
            switch (this) {
                case MICROSOFT_V2 -> Peers.microsoft(azurite, container, name, EncryptionVersion.V2, 16)
                    .upload(BinaryData.fromBytes(data));
                case MICROSOFT_V2_1 -> Peers.microsoft(azurite, container, name, EncryptionVersion.V2_1, 16)
                    .upload(BinaryData.fromBytes(data));
                case LEGACY_V1 -> Peers.legacyUpload(azurite, container, name, data);
                case CSE4J_V2_0 -> Fixtures.encrypted(container, name).upload(BinaryData.fromBytes(data));
                case CSE4J_V2_1 -> Fixtures.builder(container, name, Fixtures.options()
                        .blobProtocol(EncryptionProtocol.V2_1).blobRegionLength(64)).buildEncryptedBlobClient()
                    .upload(BinaryData.fromBytes(data));
                default -> throw new AssertionError(this);
            }
        }
    }

    /**
     * Gives a blob what a fleet operation must keep: user metadata (mixed case, spaces), tags, content headers and,
     * if given, an explicit tier, beside what the writer stored (cse4j's own integrity record included). Returns the
     * user metadata.
     */
    static Map<String, String> decorate(BlobContainerClient container, String name, AccessTier tier) {
        BlobClient blob = container.getBlobClient(name);
        Map<String, String> metadata = new LinkedHashMap<>(blob.getProperties().getMetadata());
        Map<String, String> user = new LinkedHashMap<>();
        user.put("owner", "alice");
        user.put("MixedCase", "Value with  two spaces");
        metadata.putAll(user);
        blob.setMetadata(metadata);
        blob.setTags(Map.of("project", "fleet", "stage", "rotation test"));
        blob.setHttpHeaders(new BlobHttpHeaders().setContentType("application/pdf").setContentEncoding("identity")
            .setContentLanguage("en-GB").setContentDisposition("attachment; filename=\"r.pdf\"")
            .setCacheControl("no-cache"));
        if (tier != null) {
            blob.setAccessTier(tier);
        }
        return user;
    }

    /** What is stored of one blob. */
    record Stored(byte[] bytes, Map<String, String> metadata, Map<String, String> tags, BlobProperties properties) {
        /** The metadata without {@code encryptiondata}. */
        Map<String, String> others() {
            Map<String, String> others = new LinkedHashMap<>(metadata);
            others.remove("encryptiondata");
            return others;
        }
    }

    static Stored stored(BlobContainerClient container, String name) {
        BlobClient blob = container.getBlobClient(name);
        BlobProperties properties = blob.getProperties();
        return new Stored(blob.downloadContent().toBytes(), properties.getMetadata(), blob.getTags(), properties);
    }

    /** Options reading with the vectors' key (by resolver) and writing with {@code newKey}, if any. */
    static ClientSideEncryptionOptions.Builder keys(com.azure.core.cryptography.KeyEncryptionKeyResolver oldKeys,
        com.azure.core.cryptography.KeyEncryptionKey newKey) {
        ClientSideEncryptionOptions.Builder builder = ClientSideEncryptionOptions.builder().keyResolver(oldKeys);
        return newKey == null ? builder : builder.key(newKey, "A256KW");
    }

    /** A resolver knowing the vectors' key only. */
    static com.azure.core.cryptography.KeyEncryptionKeyResolver oldResolver() {
        AesKeyWrapKey old = Fixtures.kek();
        return id -> OLD_ID.equals(id) ? old : null;
    }

    /** Results collected by name. */
    static Map<String, FleetResult> byName(List<FleetResult> results) {
        Map<String, FleetResult> map = new LinkedHashMap<>();
        results.forEach(r -> map.put(r.object().name(), r));
        return map;
    }

    /** A container client (on a fresh pipeline) whose requests are recorded as {@code METHOD path?query}. */
    static BlobContainerClient recorded(Azurite azurite, String container, List<String> requests) {
        return new BlobServiceClientBuilder().connectionString(azurite.connectionString())
            .addPolicy(new HttpPipelineSyncPolicy() {
                @Override
                protected void beforeSendingRequest(HttpPipelineCallContext context) {
                    java.net.URL url = context.getHttpRequest().getUrl();
                    requests.add(context.getHttpRequest().getHttpMethod() + " " + url.getPath()
                        + (url.getQuery() == null ? "" : "?" + url.getQuery()));
                }
            }).buildClient().getBlobContainerClient(container);
    }

    /** A thread-safe list for recorded requests. */
    static List<String> requestLog() {
        return Collections.synchronizedList(new ArrayList<>());
    }
}
