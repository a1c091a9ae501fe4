package dev.cse4j.core.implementation;

import com.azure.core.util.logging.ClientLogger;
import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.WrappedKey;

import reactor.core.publisher.Mono;

import javax.security.auth.Destroyable;
import java.security.SecureRandom;
import java.util.Objects;
import java.util.function.Function;

/**
 * One object's envelope: its encryption metadata and its content key, either fresh (to write) or unwrapped from
 * stored metadata (to read). The clients of every service start here.
 */
public final class Envelope implements Destroyable {
    private static final ClientLogger LOGGER = new ClientLogger(Envelope.class);
    private static final SecureRandom RANDOM = new SecureRandom();

    private final EncryptionData data;
    private final ContentKey key;
    private final EncryptionSettings settings;

    private Envelope(EncryptionData data, ContentKey key, EncryptionSettings settings) {
        this.data = data;
        this.key = key;
        this.settings = settings;
    }

    /**
     * A fresh content key for a new protocol 2.x object, wrapped with the configured key encryption key (a
     * synchronous client's call: waits for the key).
     *
     * @param regionDataLength 4 MiB for 2.0; 16 B to 1 GiB for 2.1
     * @param encryptionMode {@link EncryptionData#FULL_BLOB} for blobs, {@code null} otherwise
     */
    public static Envelope seal(EncryptionSettings settings, EncryptionProtocol protocol, int regionDataLength,
        String encryptionMode) {
        return Blocking.await(seal(settings, protocol, regionDataLength, encryptionMode, Blocking.ALLOWED));
    }

    /**
     * As {@link #seal(EncryptionSettings, EncryptionProtocol, int, String)}, as one {@link Mono}: for an
     * asynchronous client ({@link Blocking#OFFLOADED}) it never blocks the subscriber's thread.
     *
     * @return the envelope; an error signal as the synchronous form throws
     */
    public static Mono<Envelope> seal(EncryptionSettings settings, EncryptionProtocol protocol, int regionDataLength,
        String encryptionMode, Blocking blocking) {
        if (!protocol.usesRegions()) {
            return Mono.error(new IllegalArgumentException("seal takes protocol 2.0 or 2.1; use sealLegacyV1 for "
                + "1.0 and sealTableEntity for " + EncryptionProtocol.CSE4J_TABLE_1));
        }
        return Mono.fromSupplier(() -> EncryptedRegionInfo.ofDataLength(regionDataLength)).flatMap(regionInfo ->
            seal(settings, protocol, blocking, wrapped -> EncryptionData.forV2(protocol, wrapped, regionInfo,
                Agent.keyWrappingMetadata(), encryptionMode)));
    }

    /**
     * A fresh content key for a new table entity in cse4j's authenticated table format
     * ({@link EncryptionProtocol#CSE4J_TABLE_1}), wrapped with the configured key encryption key (bound to that
     * protocol by the wrap prefix). The table module encrypts the values with {@link #key()}.
     */
    public static Envelope sealTableEntity(EncryptionSettings settings) {
        return Blocking.await(sealTableEntity(settings, Blocking.ALLOWED));
    }

    /** As {@link #sealTableEntity(EncryptionSettings)}, as one {@link Mono}, for either kind of client. */
    public static Mono<Envelope> sealTableEntity(EncryptionSettings settings, Blocking blocking) {
        return seal(settings, EncryptionProtocol.CSE4J_TABLE_1, blocking,
            wrapped -> EncryptionData.forTableEntity(wrapped, Agent.keyWrappingMetadata()));
    }

    /**
     * A fresh content key and IV for a new <b>legacy, unauthenticated</b> protocol 1.0 object. Only for writers whose
     * readers are still the legacy SDKs.
     */
    public static Envelope sealLegacyV1(EncryptionSettings settings, String encryptionMode) {
        return Blocking.await(sealLegacyV1(settings, encryptionMode, Blocking.ALLOWED));
    }

    /** As {@link #sealLegacyV1(EncryptionSettings, String)}, as one {@link Mono}, for either kind of client. */
    public static Mono<Envelope> sealLegacyV1(EncryptionSettings settings, String encryptionMode, Blocking blocking) {
        return blocking.call(() -> {
            byte[] iv = new byte[16];
            RANDOM.nextBytes(iv);
            return iv;
        }).flatMap(iv -> seal(settings, EncryptionProtocol.V1_0, blocking, wrapped ->
            EncryptionData.forLegacyV1(wrapped, iv, Agent.keyWrappingMetadata(), encryptionMode)));
    }

    /**
     * A fresh content key (drawn where {@code blocking} allows: the system's random source may read a device),
     * wrapped for {@code protocol}; destroyed again if wrapping fails or the caller cancels.
     */
    private static Mono<Envelope> seal(EncryptionSettings settings, EncryptionProtocol protocol, Blocking blocking,
        Function<WrappedKey, EncryptionData> data) {
        ContentKeyResolver keys = settings.contentKeys();
        return blocking.call(ContentKey::generate).flatMap(key -> (blocking == Blocking.ALLOWED
                ? Mono.fromCallable(() -> keys.wrap(key, protocol)) : keys.wrapAsync(key, protocol))
            .map(wrapped -> new Envelope(data.apply(wrapped), key, settings))
            .doOnError(e -> key.destroy())
            .doOnCancel(key::destroy));
    }

    /**
     * Opens stored metadata: applies the read policy, then finds the key encryption key and unwraps the content key
     * (a synchronous client's call: waits for the key).
     *
     * @param what the data, for messages, e.g. {@code "Blob 'c/b'"}
     * @throws EncryptionPolicyException if the data is protocol 1.0 and unauthenticated 1.0 reads are not allowed
     * @throws dev.cse4j.core.KeyResolutionException if no key can be used for the stored key id
     * @throws dev.cse4j.core.KeyWrapException if the key fails to unwrap
     * @throws dev.cse4j.core.IntegrityException if the key was wrapped for another protocol version
     */
    public static Envelope open(EncryptionSettings settings, EncryptionData data, String what) {
        return Blocking.await(open(settings, data, what, Blocking.ALLOWED));
    }

    /**
     * As {@link #open(EncryptionSettings, EncryptionData, String)}, as one {@link Mono}: the policy is checked when
     * it is subscribed, and for an asynchronous client ({@link Blocking#OFFLOADED}) the key is never waited for on
     * the subscriber's thread.
     *
     * @return the envelope; an error signal with what the synchronous form throws
     */
    public static Mono<Envelope> open(EncryptionSettings settings, EncryptionData data, String what,
        Blocking blocking) {
        Objects.requireNonNull(data, "data");
        return Mono.defer(() -> {
            if (data.protocol() == EncryptionProtocol.V1_0 && !settings.allowUnauthenticatedV1Reads()) {
                return Mono.error(Logs.refused(LOGGER, new EncryptionPolicyException(EncryptionPolicyException.Reason
                    .UNAUTHENTICATED_V1, what + " uses legacy protocol 1.0 (AES-CBC), "
                    + "which is not authenticated: its content can be modified undetectably, and its decryption "
                    + "errors are a padding oracle (CVE-2022-30187). Refusing to decrypt it. If you trust the storage "
                    + "account, allow it explicitly with ClientSideEncryptionOptions "
                    + "allowUnauthenticatedV1Reads(true), and re-encrypt it with an authenticated protocol.")));
            }
            ContentKeyResolver keys = settings.contentKeys();
            return (blocking == Blocking.ALLOWED ? Mono.fromCallable(() -> keys.unwrap(data)) : keys.unwrapAsync(data))
                .map(key -> new Envelope(data, key, settings));
        });
    }

    public EncryptionData data() {
        return data;
    }

    public ContentKey key() {
        return key;
    }

    public EncryptionProtocol protocol() {
        return data.protocol();
    }

    /** The region layout of a 2.x envelope. */
    public RegionLayout layout() {
        requireV2();
        return RegionLayout.of(data.encryptedRegionInfo());
    }

    /** A region encryptor for this 2.x object. */
    public RegionEncryptor regionEncryptor() {
        return new RegionEncryptor(key, layout(), settings.cryptoProvider());
    }

    /** A region decryptor for one read of this 2.x object, with a fresh order check. */
    public RegionDecryptor regionDecryptor() {
        return new RegionDecryptor(key, layout(), settings.cryptoProvider(), settings.newRegionOrderCheck());
    }

    /**
     * A region decryptor for one read of this 2.x object whose writer's nonce sequence is known from its verified
     * integrity record: the order check is locked onto that sequence from the first region (unless misordered
     * regions are allowed).
     */
    public RegionDecryptor regionDecryptor(NonceScheme writtenWith) {
        RegionOrderCheck check = settings.allowMisorderedRegions() ? RegionOrderCheck.disabledInsecure()
            : RegionOrderCheck.strict(writtenWith);
        return new RegionDecryptor(key, layout(), settings.cryptoProvider(), check);
    }

    /**
     * The keys that seal and verify this 2.x object's integrity record, derived from its content key. The caller
     * destroys it.
     */
    public IntegritySeal integritySeal() {
        requireV2();
        return IntegritySeal.of(key);
    }

    /**
     * A region decryptor for data that is always a single region (queue messages), without the order check: there
     * is no order to check, and Python writes such regions with a random nonce.
     */
    public RegionDecryptor singleRegionDecryptor() {
        return new RegionDecryptor(key, layout(), settings.cryptoProvider(), RegionOrderCheck.disabledInsecure());
    }

    /** The 1.0 cipher for this legacy object. */
    public CbcV1 cbc() {
        if (data.protocol() != EncryptionProtocol.V1_0) {
            throw new IllegalStateException("Protocol " + data.protocol() + " is not CBC");
        }
        return new CbcV1(key, data.contentEncryptionIv());
    }

    private void requireV2() {
        if (data.protocol() == EncryptionProtocol.V1_0) {
            throw new IllegalStateException("Protocol 1.0 has no regions");
        }
        if (!data.protocol().usesRegions()) {
            // Stored metadata, not a programming error: table-entity metadata copied onto a blob or message.
            throw new MalformedEncryptionDataException("The encryption metadata names protocol "
                + data.protocol().wireValue() + ", cse4j's table-entity format, which is only valid on table "
                + "entities: this data was not written by an encrypting blob or queue client, or its metadata was "
                + "modified.");
        }
    }

    @Override
    public void destroy() {
        key.destroy();
    }

    @Override
    public boolean isDestroyed() {
        return key.isDestroyed();
    }

    @Override
    public String toString() {
        return "Envelope[" + data + "]";
    }
}
