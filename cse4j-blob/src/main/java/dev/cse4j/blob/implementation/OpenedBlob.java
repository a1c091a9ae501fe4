package dev.cse4j.blob.implementation;

import com.azure.core.http.rest.Response;
import com.azure.core.util.Context;
import com.azure.core.util.logging.ClientLogger;
import com.azure.core.util.logging.LoggingEventBuilder;
import com.azure.storage.blob.BlobAsyncClient;
import com.azure.storage.blob.BlobClient;
import com.azure.storage.blob.models.BlobProperties;
import com.azure.storage.blob.models.BlobRange;
import com.azure.storage.blob.models.BlobRequestConditions;
import com.azure.storage.blob.models.BlobType;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.IntegrityRecord;
import dev.cse4j.core.implementation.Blocking;
import dev.cse4j.core.implementation.CbcV1;
import dev.cse4j.core.implementation.EncryptionSettings;
import dev.cse4j.core.implementation.Envelope;
import dev.cse4j.core.implementation.IntegritySeal;
import dev.cse4j.core.implementation.Logs;
import dev.cse4j.core.implementation.NonceScheme;
import dev.cse4j.core.implementation.RegionDecryptor;
import dev.cse4j.core.implementation.RegionLayout;
import reactor.core.publisher.Mono;

import java.time.Duration;
import java.util.function.Supplier;

/**
 * One version of a blob opened for reading: its properties (one request), its parsed encryption metadata, and, on
 * first need, its envelope: the content key unwrapped <em>once</em> (one key operation however many ranges and
 * threads read it). Every read of it fetches that same version ({@link RangeFetcher}).
 *
 * <p>Policy is applied here: an unencrypted blob is refused by {@link #plan} if encryption is required, a 2.x blob
 * without an integrity record if the record is required, and a 1.0 blob is refused when its envelope is opened
 * unless unauthenticated 1.0 reads are allowed. A 2.x blob's integrity record ({@code cse4jintegrity}) is verified
 * when its envelope is opened, before any region is decrypted: from then on its plaintext length is the
 * authenticated one, and its region order check is locked onto the nonce sequence the record names. Close to
 * destroy the content key.
 *
 * <p>The same object serves both kinds of client: what needs the key or a request comes as a {@link Mono} taking
 * the caller's {@link Blocking} mode (an asynchronous client's never blocks; a synchronous client's waits for it), so
 * both read through the same checks in the same order.
 */
public final class OpenedBlob implements AutoCloseable {
    private static final ClientLogger LOGGER = new ClientLogger(OpenedBlob.class);

    private final EncryptionSettings settings;
    private final Response<BlobProperties> response;
    private final EncryptionData data;
    private final IntegrityRecord record;
    private final RangeFetcher fetcher;
    private final String what;
    private Envelope envelope;
    private RegionDecryptor decryptor;
    private boolean closed;

    private OpenedBlob(EncryptionSettings settings, Response<BlobProperties> response, EncryptionData data,
        IntegrityRecord record, RangeFetcher fetcher, String what) {
        this.settings = settings;
        this.response = response;
        this.data = data;
        this.record = record;
        this.fetcher = fetcher;
        this.what = what;
    }

    /**
     * Reads the blob's properties (with the caller's conditions) and parses its encryption metadata; no key is used
     * (a synchronous client's call).
     *
     * @param reads the same blob as an asynchronous client, for the data requests (built when first needed)
     * @param timeout the caller's bound on each request, or {@code null}
     * @param noProgressTimeout the longest any request of the read may go without receiving a byte
     * @param what the blob, for messages, e.g. {@code "Blob 'c/b'"}
     * @throws dev.cse4j.core.MalformedEncryptionDataException if the blob has invalid encryption metadata
     * @throws IntegrityException if its integrity record is malformed, or on a blob that cannot have one
     * @throws ClientSideEncryptionException if the blob is not a block blob but its metadata names protocol 2.x
     * @throws java.io.UncheckedIOException wrapping a {@link java.net.SocketTimeoutException} if the service does
     *     not answer within {@code noProgressTimeout}
     */
    public static OpenedBlob open(BlobClient blob, Supplier<BlobAsyncClient> reads, EncryptionSettings settings,
        BlobRequestConditions conditions, Duration timeout, Duration noProgressTimeout, Context context,
        String what) {
        return of(properties(blob, conditions, timeout, noProgressTimeout, context, what), reads, settings,
            conditions, timeout, noProgressTimeout, context, what);
    }

    /**
     * As {@link #open(BlobClient, Supplier, EncryptionSettings, BlobRequestConditions, Duration, Duration, Context,
     * String)}, for an asynchronous client.
     */
    public static Mono<OpenedBlob> open(BlobAsyncClient blob, EncryptionSettings settings,
        BlobRequestConditions conditions, Duration noProgressTimeout, String what) {
        return NoProgress.bound(blob.getPropertiesWithResponse(conditions), noProgressTimeout, what)
            .map(response -> of(response, () -> blob, settings, conditions, null, noProgressTimeout, null, what));
    }

    /** Get Properties, answered within the no-progress bound (or the caller's shorter timeout). */
    private static Response<BlobProperties> properties(BlobClient blob, BlobRequestConditions conditions,
        Duration timeout, Duration noProgressTimeout, Context context, String what) {
        boolean bounded = timeout == null || timeout.compareTo(noProgressTimeout) > 0;
        long started = System.nanoTime();
        try {
            return blob.getPropertiesWithResponse(conditions, bounded ? noProgressTimeout : timeout, context);
        } catch (RuntimeException e) {
            if (bounded && System.nanoTime() - started >= noProgressTimeout.toNanos() && NoProgress.timedOut(e)) {
                throw NoProgress.stalled(noProgressTimeout, what);
            }
            throw e;
        }
    }

    /** As {@code open}, from properties already read (also the fuzz target's entry: it reads from memory). */
    static OpenedBlob of(Response<BlobProperties> response, Supplier<BlobAsyncClient> reads,
        EncryptionSettings settings, BlobRequestConditions conditions, Duration timeout, Duration noProgressTimeout,
        Context context, String what) {
        BlobProperties properties = response.getValue();
        EncryptionData data = BlobEncryptionMetadata.parse(properties.getMetadata());
        if (data != null && data.protocol().usesRegions() && properties.getBlobType() != BlobType.BLOCK_BLOB) {
            throw new ClientSideEncryptionException(what + " is " + describe(properties.getBlobType()) + ", but its "
                + "metadata names protocol " + data.protocol().wireValue() + ", which exists for block blobs only "
                + "(no client writes it to other blob types): cse4j does not read this blob type with protocol 2.x. "
                + "Its metadata was probably copied from a block blob.");
        }
        // a record on an unencrypted blob means nothing (encryption policy governs those); on 2.x it is checked
        IntegrityRecord record = data == null ? null : BlobEncryptionMetadata.parseIntegrityRecord(
            properties.getMetadata());
        if (record != null && !data.protocol().usesRegions()) {
            throw new IntegrityException(what + " has an integrity record, which only protocol 2.x blobs written by "
                + "cse4j have, but its encryption metadata says protocol " + data.protocol() + ": the metadata was "
                + "modified.");
        }
        RangeFetcher fetcher = new RangeFetcher(reads, properties.getETag(),
            conditions == null ? null : conditions.getLeaseId(), timeout, noProgressTimeout, context, what);
        return new OpenedBlob(settings, response, data, record, fetcher, what);
    }

    public Response<BlobProperties> response() {
        return response;
    }

    public BlobProperties properties() {
        return response.getValue();
    }

    /** The parsed {@code encryptiondata}, or {@code null} for an unencrypted blob. */
    public EncryptionData encryptionData() {
        return data;
    }

    /** The parsed integrity record of a 2.x blob, not yet verified, or {@code null} if it has none. */
    public IntegrityRecord integrityRecord() {
        return record;
    }

    /**
     * Verifies the integrity record with the blob's content key (unwrapping it), or applies the policy if there is
     * none.
     *
     * @return the verified record, or {@code null} if the blob has none (or is not a 2.x blob)
     * @throws IntegrityException if the record does not verify or the stored length contradicts it
     * @throws dev.cse4j.core.EncryptionPolicyException if the record is missing and required
     */
    public IntegrityRecord verifyIntegrityRecord() {
        return Blocking.await(verifyIntegrityRecord(Blocking.ALLOWED));
    }

    /** As {@link #verifyIntegrityRecord()}, as one {@link Mono} (empty for no record) for either kind of client. */
    public Mono<IntegrityRecord> verifyIntegrityRecord(Blocking blocking) {
        return Mono.defer(() -> {
            if (data == null || !data.protocol().usesRegions()) {
                return Mono.empty();
            }
            if (record == null) {
                settings.checkMissingIntegrityRecordAllowed(what);
                return Mono.empty();
            }
            return openEnvelope(blocking).then(Mono.just(record));
        });
    }

    public RangeFetcher fetcher() {
        return fetcher;
    }

    /** Stored bytes. */
    public long encryptedSize() {
        return properties().getBlobSize();
    }

    /**
     * The plaintext length (a synchronous client's call). Protocol 2.x: the integrity record's (checked against the
     * stored length; authenticated once the envelope is opened), else from the stored length (no key needed). 1.0:
     * from the last two stored blocks, which needs the key and the 1.0 opt-in. Unencrypted: the stored length.
     *
     * @throws dev.cse4j.core.IntegrityException if the stored length is impossible (the blob was truncated), or not
     *     the one the integrity record implies
     */
    public long plaintextLength() {
        return Blocking.await(plaintextLength(Blocking.ALLOWED));
    }

    /** As {@link #plaintextLength()}, as one {@link Mono} for either kind of client. */
    public Mono<Long> plaintextLength(Blocking blocking) {
        return Mono.defer(() -> {
            if (data == null) {
                return Mono.just(encryptedSize());
            }
            if (data.protocol() != EncryptionProtocol.V1_0) {
                return Mono.just(regionPlaintextLength());
            }
            if (!isPadded()) {
                return Mono.just(encryptedSize());
            }
            long size = encryptedSize();
            return openEnvelope(blocking).then(Mono.defer(() -> {
                CbcV1 cbc = envelope.cbc();
                if (size < CbcV1.BLOCK || size % CbcV1.BLOCK != 0) {
                    return Mono.just(cbc.plaintextLength(size, new byte[0]));
                }
                int tail = size == CbcV1.BLOCK ? CbcV1.BLOCK : 2 * CbcV1.BLOCK;
                byte[] last = new byte[tail];
                return fetcher.read(size - tail, tail, last)
                    .map(n -> cbc.plaintextLength(size, n == tail ? last : java.util.Arrays.copyOf(last, n)));
            }));
        });
    }

    /** A 2.x blob's plaintext length: its integrity record's, checked against the stored length, else the layout's. */
    private long regionPlaintextLength() {
        if (record != null) {
            if (record.encryptedLength() != encryptedSize()) {
                throw new IntegrityException(what + " stores " + encryptedSize() + " bytes, but its integrity "
                    + "record's plaintext length of " + record.plaintextLength() + " bytes is stored as exactly "
                    + record.encryptedLength() + ": regions were dropped, added or cut, or the record was "
                    + "modified or copied from another blob. Nothing was decrypted.");
            }
            return record.plaintextLength();
        }
        return RegionLayout.of(data.encryptedRegionInfo()).plaintextLength(encryptedSize());
    }

    /**
     * The chunks to read plaintext bytes {@code [offset, offset + count)} (clipped at the end of the blob), for a
     * synchronous client: the content key is unwrapped on the calling thread if the plan needs it.
     *
     * @param count {@code Long.MAX_VALUE} to read to the end
     * @param chunkSize plaintext bytes per chunk (rounded to whole regions or blocks)
     * @throws dev.cse4j.core.EncryptionPolicyException if the blob is unencrypted and encryption is required, 1.0
     *     without the opt-in, or its regions are longer than the client reads
     */
    public DownloadPlan plan(long offset, long count, long chunkSize) {
        return Blocking.await(plan(offset, count, chunkSize, Blocking.ALLOWED));
    }

    /**
     * As {@link #plan(long, long, long)}, as one {@link Mono} for either kind of client: the policy is checked
     * (before any key is used), then the envelope is opened (the integrity record verified), then the plan made,
     * with every check the synchronous form makes.
     */
    public Mono<DownloadPlan> plan(long offset, long count, long chunkSize, Blocking blocking) {
        return Mono.defer(() -> {
            if (offset < 0 || count < 0) {
                return Mono.error(new IllegalArgumentException("A range's offset and count must not be negative"));
            }
            log();
            if (data == null) {
                settings.checkUnencryptedAllowed(what);
                return Mono.just(new PlainDownloadPlan(encryptedSize(), offset, count, chunkSize));
            }
            if (data.protocol().usesRegions()) {
                checkRegionLength(RegionLayout.of(data.encryptedRegionInfo())); // before any key is used
            }
            if (data.protocol().usesRegions() && record == null) {
                settings.checkMissingIntegrityRecordAllowed(what);
            }
            return openEnvelope(blocking).then(Mono.fromCallable(() -> planWith(offset, count, chunkSize)));
        });
    }

    /**
     * The plan for {@code range} ({@code null}: the whole blob) in chunks of {@code tuning}'s block size, as
     * {@link #plan(long, long, long, Blocking)}; it tells the crypto provider how much AES-GCM work is coming (none
     * for an unencrypted or a protocol 1.0 blob, whose reads would not use what that may load).
     */
    public Mono<DownloadPlan> plan(BlobRange range, TransferTuning tuning, Blocking blocking) {
        long offset = range == null ? 0 : range.getOffset();
        long count = range == null || range.getCount() == null ? Long.MAX_VALUE : range.getCount();
        return plan(offset, count, tuning.blockPlaintextSize(), blocking)
            .doOnNext(plan -> {
                if (plan instanceof GcmDownloadPlan) {
                    settings.cryptoProvider().expectWork(plan.outputLengthHint());
                }
            });
    }

    /** The plan, the envelope being open. */
    private DownloadPlan planWith(long offset, long count, long chunkSize) {
        Envelope opened = envelope();
        if (data.protocol() == EncryptionProtocol.V1_0) {
            return new CbcDownloadPlan(opened.cbc(), encryptedSize(), isPadded(), offset, count, chunkSize);
        }
        RegionLayout layout = opened.layout();
        long plaintextLength = plaintextLength();
        long regionsPerChunk = Math.max(1, chunkSize / layout.regionDataLength());
        if (offset == 0 && count >= plaintextLength) {
            return GcmDownloadPlan.whole(decryptor(), encryptedSize(), plaintextLength, regionsPerChunk);
        }
        return GcmDownloadPlan.range(decryptor(), encryptedSize(), plaintextLength, offset, count, regionsPerChunk);
    }

    /**
     * One region decryptor for every plan of this opened blob, so its region order check narrows across all of
     * them (a channel's many small reads pin the nonce sequence as one download does).
     */
    private synchronized RegionDecryptor decryptor() {
        if (decryptor == null) {
            Envelope opened = envelope();
            decryptor = record != null ? opened.regionDecryptor(NonceScheme.JAVA) : opened.regionDecryptor();
        }
        return decryptor;
    }

    /** What this read found, at verbose: the blob, its protocol and key id, its region length and count. */
    private void log() {
        LoggingEventBuilder event = LOGGER.atVerbose().addKeyValue("blob", what)
            .addKeyValue("protocol", data == null ? "none" : data.protocol().wireValue());
        if (data != null) {
            event.addKeyValue("keyId", data.wrappedContentKey().keyId());
            if (data.encryptedRegionInfo() != null) {
                RegionLayout layout = RegionLayout.of(data.encryptedRegionInfo());
                event.addKeyValue("regionLength", layout.regionDataLength())
                    .addKeyValue("regions", (encryptedSize() + layout.encryptedRegionLength() - 1)
                        / layout.encryptedRegionLength());
            }
        }
        event.log("Reading");
    }

    /**
     * A read holds one whole region per chunk in flight: the longest region stored (the region length, or all the
     * stored data if it is shorter) must be within the client's bound, whatever the metadata claims.
     */
    private void checkRegionLength(RegionLayout layout) {
        long longest = Math.min(layout.regionDataLength(), Math.max(0, encryptedSize() - RegionLayout.OVERHEAD));
        int bound = settings.options().getMaxReadRegionLength();
        if (longest > bound) {
            throw Logs.refused(LOGGER, new EncryptionPolicyException(EncryptionPolicyException.Reason.REGION_TOO_LARGE,
                what + " has protocol " + data.protocol().wireValue() + " regions of " + layout.regionDataLength()
                + " bytes, longer than the " + bound + " bytes this client reads: a read verifies each region whole "
                + "before releasing any of it, so it would hold that much memory per chunk in flight. If you trust "
                + "the blob, raise ClientSideEncryptionOptions maxReadRegionLength to at least " + longest
                + "; otherwise its metadata may have been modified."));
        }
    }

    /** The region length of a 2.x blob (for chunk sizes); 16 for 1.0 and unencrypted blobs. */
    public int unitLength() {
        return data != null && data.encryptedRegionInfo() != null ? data.encryptedRegionInfo().dataLength()
            : CbcV1.BLOCK;
    }

    private static String describe(BlobType type) {
        return type == BlobType.PAGE_BLOB ? "a page blob" : type == BlobType.APPEND_BLOB ? "an append blob"
            : "a " + type + " blob";
    }

    /** Legacy 1.0 page blobs are not padded (docs/formats.md §5.1); block and append blobs are. */
    private boolean isPadded() {
        return properties().getBlobType() != BlobType.PAGE_BLOB;
    }

    /**
     * The envelope, opened (policy checked, content key unwrapped, integrity record verified) on first use, once; a
     * synchronous client's call, or, once {@link #openEnvelope(Blocking)} completed, anyone's.
     */
    private Envelope envelope() {
        Blocking.await(openEnvelope(Blocking.ALLOWED));
        synchronized (this) {
            return envelope;
        }
    }

    /**
     * Opens the envelope once, on first need: with {@link Blocking#OFFLOADED} the key is called without blocking
     * the subscriber's thread. The integrity record is verified before the envelope is kept.
     */
    private Mono<Void> openEnvelope(Blocking blocking) {
        return Mono.defer(() -> {
            synchronized (this) {
                if (envelope != null) {
                    return Mono.empty();
                }
            }
            return Envelope.open(settings, data, what, blocking).doOnNext(this::keep).then();
        });
    }

    /**
     * Verifies the integrity record (if any) against a newly opened envelope and keeps the envelope, unless another
     * read opened one meanwhile or the blob was closed; a rejected or superfluous envelope is destroyed.
     */
    private void keep(Envelope opened) {
        if (record != null) {
            try (IntegritySeal seal = opened.integritySeal()) {
                seal.verify(record, data, encryptedSize(), what);
            } catch (RuntimeException e) {
                opened.destroy();
                throw e;
            }
        }
        synchronized (this) {
            if (envelope == null && !closed) {
                envelope = opened;
                return;
            }
        }
        opened.destroy();
    }

    @Override
    public synchronized void close() {
        closed = true;
        if (envelope != null) {
            envelope.destroy();
        }
    }
}
