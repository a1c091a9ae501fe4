package dev.cse4j.blob.implementation;

import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.Context;
import com.azure.core.util.FluxUtil;
import com.azure.core.util.ProgressReporter;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobAsyncClient;
import dev.cse4j.core.implementation.RegionEncryptor;
import dev.cse4j.core.implementation.RegionLayout;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.core.publisher.FluxSink;
import reactor.core.publisher.Mono;
import reactor.core.publisher.MonoSink;
import reactor.core.publisher.Operators;
import reactor.core.scheduler.Schedulers;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.Base64;
import java.util.ArrayDeque;
import java.util.Collections;
import java.util.Deque;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReferenceArray;
import java.util.stream.LongStream;

/**
 * Uploads plaintext as an encrypted block blob, for the synchronous and the asynchronous client alike, with
 * {@link TransferTuning}'s semantics (those of the Azure SDK's {@code ParallelTransferOptions}): data of known length
 * up to {@code maxSingleUploadSize} is one Put Blob request, anything else is staged in blocks of {@code blockSize}
 * plaintext bytes, {@code maxConcurrency} at a time, and committed with Put Block List.
 *
 * <p>How: the source ({@link PlaintextSource}: a stream, read where blocking is allowed, or a {@link Flux} of
 * buffers) is read one block at a time, straight into a buffer from the transfer's {@link BufferPool}
 * ({@code maxConcurrency} buffers of one block's stored size; memory never depends on the blob size); each block is
 * encrypted in place ({@link RegionSlots}) on the {@link Transfers#scheduler() transfer scheduler} and sent. The next
 * block is read only when a buffer is free: that is the upload's back-pressure, on the source too. Request bodies are
 * the pool's buffers themselves, in {@value #BODY_SLICE}-byte slices (no copy on our side; the HTTP client copies
 * each slice into a pooled direct buffer as it writes), and are replayable, so the SDK's retries resend the same
 * ciphertext and never re-encrypt.
 *
 * <p>Data of known length larger than the pool is spooled instead: read, encrypted and written into a temporary file
 * of ciphertext ({@link TransientFile}) one slice of {@value #SPOOL_SLICE} bytes at a time (a whole region with a
 * JCA provider that returns ciphertext only at a region's end, as SunPKCS11 does), in one buffer, and sent
 * from the file, as one Put Blob or as staged blocks that take turns in {@code maxConcurrency} slots of the file. A
 * file is the one way to give the SDK a replayable body of that size without holding it in memory (measured with
 * azure-storage-blob 12.33.1: a 256 MiB body from a mark-supporting stream is buffered whole, ~800 MiB peak RSS; one
 * from a {@code Flux} is not replayable and is buffered too, ~330 MiB; a file body stays at the plain client's
 * ~120 MiB), and over plain HTTP the HTTP client sends a file's bytes without copying them into the JVM (over
 * HTTPS they pass through the JVM for TLS). Measured end to end over plain HTTP (2-core AMD EPYC, Azurite, 1 GiB from
 * a file, 4 MiB blocks, 4 in flight, issue 16): peak RSS 146-150 MiB against 162-164 with the
 * blocks in memory, and 0.3-0.5 s more client CPU (writing the spool costs more than the HTTP client's copies it
 * saves).
 *
 * <p>Every region index is encrypted exactly once with the blob's fresh content key. The final request (Put Blob or
 * Put Block List) carries the metadata with {@code encryptiondata} and the integrity record (sealed with the
 * plaintext length, known only then), so the blob never exists without them. Data of unknown length is one Put
 * Blob only if it ends within {@code maxConcurrency} blocks (what fits the pool). Once the source has been read to
 * its end, before that final request, the caller's source check runs (a file must not have changed while it was
 * read) and a source of declared length must have no byte more; either failing commits nothing. A failed
 * or cancelled upload commits nothing (staged blocks are never committed; the service discards them), stops reading
 * its source, and gives every buffer back to the pool, which zeroes it.
 */
public final class ParallelRegionUploader {
    /**
     * Slice of a buffer per request-body {@link ByteBuffer}, and per file read of the spool. 1 MiB: 64 KiB slices
     * made the HTTP client's per-write path hot enough to cost ~12% more client CPU on staged uploads (measured,
     * 256 MiB, 4 MiB blocks), and one slice per block made its direct-buffer copies larger (+15-25 MiB peak RSS).
     */
    static final int BODY_SLICE = 1024 * 1024;

    /**
     * Plaintext bytes per slice of a spooled upload ({@link SpoolWriter}), which holds one buffer of this size
     * instead of whole regions.
     */
    static final int SPOOL_SLICE = 1024 * 1024;

    private final BlockBlobAsyncClient blockBlob;
    private final RegionEncryptor encryptor;
    private final RegionLayout layout;
    private final TransferTuning tuning;
    private final ProgressReporter progress;
    private final Runnable sourceCheck;

    /**
     * @param progress receives plaintext bytes uploaded as each request's body is sent ({@link RequestProgress}),
     *     or {@code null}
     * @param sourceCheck run once the source has been read to its end, before the request that commits the blob
     *     (e.g. that a file did not change while it was read), where blocking is allowed; it throws to commit
     *     nothing. {@code null}: none
     */
    public ParallelRegionUploader(BlockBlobAsyncClient blockBlob, RegionEncryptor encryptor, TransferTuning tuning,
        ProgressReporter progress, Runnable sourceCheck) {
        this.blockBlob = blockBlob;
        this.encryptor = encryptor;
        this.layout = encryptor.layout();
        this.tuning = tuning;
        this.progress = progress;
        this.sourceCheck = sourceCheck;
    }

    /**
     * @param length the source's length, or {@code -1} if unknown (read to its end)
     * @return the response of the request that created the blob; an error signal
     *     {@link UnexpectedLengthException} if the source ends before {@code length} bytes or has more than that
     *     (as the Azure SDK refuses a body longer than declared), or whatever the source check threw; nothing is
     *     committed then
     */
    public Mono<Response<BlockBlobItem>> upload(PlaintextSource source, long length, BlobWrite write) {
        return Mono.defer(() -> {
            TransferTuning t = length >= 0 ? tuning.fitting(length, layout.regionDataLength()) : tuning;
            int blockSize = Math.toIntExact(t.blockPlaintextSize());
            long single = t.maxSingleUploadSize();
            int bufferSize = RegionSlots.storedLength(layout, length >= 0 ? Math.min(length, blockSize) : blockSize);
            boolean fitsPool = length >= 0 && length <= (long) blockSize * t.maxConcurrency();
            boolean spool = length >= 0 && !fitsPool;
            return Mono.usingWhen(Mono.fromSupplier(() -> new Blocks(source, length, t,
                    new BufferPool(t.maxConcurrency(), bufferSize))),
                blocks -> {
                    if (spool) {
                        return throughSpool(blocks, length, t.maxConcurrency(), length <= single, write);
                    }
                    if (length > single) {
                        return stageAndCommit(List.of(), blocks, t.maxConcurrency(), write);
                    }
                    return readHead(blocks, new ArrayList<>(), t.maxConcurrency()).flatMap(head ->
                        blocks.ended() && blocks.total() <= single
                            ? putBlobFromMemory(head, blocks.total(), write)
                            : stageAndCommit(head, blocks, t.maxConcurrency(), write));
                },
                blocks -> Mono.fromRunnable(blocks::close),
                (blocks, error) -> Mono.fromRunnable(blocks::abort),
                blocks -> Mono.fromRunnable(blocks::abort));
        });
    }

    /**
     * One block read from the source: {@code length} plaintext bytes in its buffer's region slots, the first being
     * region {@code firstRegion} of the blob.
     */
    private record Block(int index, long firstRegion, BufferPool.Lease lease, int length) {
        byte[] buffer() {
            return lease.buffer();
        }
    }

    /**
     * The source, cut into blocks as it is read, one read at a time; and the buffers of the blocks not yet done
     * with, all given back when the upload ends however it ends.
     */
    private final class Blocks {
        private final PlaintextSource source;
        private final long length;
        private final int blockSize;
        private final long regionsPerBlock;
        private final BufferPool pool;
        private final Set<Block> outstanding = Collections.newSetFromMap(new IdentityHashMap<>());
        private long total;
        private boolean ended;
        private int index;

        Blocks(PlaintextSource source, long length, TransferTuning tuning, BufferPool pool) {
            this.source = source;
            this.length = length;
            this.blockSize = Math.toIntExact(tuning.blockPlaintextSize());
            this.regionsPerBlock = tuning.regionsPerBlock(layout.regionDataLength());
            this.pool = pool;
        }

        /** The next block, in a buffer taken from the pool; empty at the end. */
        Mono<Block> next() {
            return Mono.defer(() -> {
                if (ended) {
                    return Mono.empty();
                }
                if (index >= TransferTuning.MAX_BLOCKS) {
                    return Mono.error(new IllegalArgumentException("The data needs more than "
                        + TransferTuning.MAX_BLOCKS + " blocks of " + blockSize + " bytes, the service's limit. Set a "
                        + "larger block size (ParallelTransferOptions.setBlockSizeLong), or give the data's length."));
                }
                int want = (int) Math.min(blockSize, length >= 0 ? length - total : blockSize);
                BufferPool.Lease lease = pool.lease();
                return read(lease.buffer(), want).<Block>handle((got, sink) -> {
                    if (got == 0) {
                        lease.release();
                        return;
                    }
                    Block block = new Block(index, index * regionsPerBlock, lease, got);
                    index++;
                    synchronized (outstanding) {
                        outstanding.add(block);
                    }
                    sink.next(block);
                }).doOnError(e -> lease.release()).doOnCancel(lease::release);
            });
        }

        /**
         * Reads the next {@code want} plaintext bytes (at most a block) into the slots of {@code buffer}, fewer only
         * where data of unknown length ends; once the source was read to its end, runs {@link #sourceEnded()}.
         *
         * @return the bytes read; an error signal {@link UnexpectedLengthException} if data of declared length ends
         *     early
         */
        Mono<Integer> read(byte[] buffer, int want) {
            return source.read(layout, buffer, want).flatMap(got -> {
                total += got;
                if (length >= 0 && got < want) {
                    return Mono.error(new UnexpectedLengthException("The data to upload ended after " + total
                        + " bytes, but " + length + " were declared.", total, length));
                }
                ended = got < want || total == length;
                return ended ? sourceEnded().thenReturn(got) : Mono.just(got);
            });
        }

        /**
         * Runs once the source was read to its end, before anything is committed: the source check, then, for a
         * declared length, that the source has no byte more.
         */
        private Mono<Void> sourceEnded() {
            Mono<Void> check = sourceCheck == null ? Mono.empty()
                : Mono.fromRunnable(sourceCheck).subscribeOn(Schedulers.boundedElastic()).then();
            if (length < 0) {
                return check;
            }
            return check.then(source.hasMore(layout)).flatMap(more -> more
                ? Mono.error(new UnexpectedLengthException("The data to upload has more than the " + length
                    + " bytes declared, so nothing was committed: declare its full length, or give a stream that "
                    + "ends there.", length + 1, length))
                : Mono.empty());
        }

        /**
         * {@code head}, then the blocks still to read, each read (its buffer taken) only when the consumer wants
         * one more block: the consumer's window of blocks in flight is the pool's capacity.
         */
        Flux<Block> after(List<Block> head) {
            return Flux.concat(Flux.fromIterable(head), Flux.create(sink -> {
                OnDemand reads = new OnDemand(sink);
                sink.onRequest(reads::request);
                sink.onDispose(reads::dispose);
            }));
        }

        /**
         * Reads one block at a time while the consumer has demand (counted here: each read takes one unit of it
         * when it starts, so a block is never read, nor its buffer taken, ahead of demand); completes at the end of
         * the data.
         */
        private final class OnDemand {
            private final FluxSink<Block> sink;
            private long demand;
            private boolean reading;
            private boolean disposed;
            private long reads;
            private Disposable read;

            OnDemand(FluxSink<Block> sink) {
                this.sink = sink;
            }

            void request(long n) {
                synchronized (this) {
                    demand = Operators.addCap(demand, n);
                }
                pump();
            }

            void pump() {
                long mine;
                synchronized (this) {
                    if (reading || disposed || demand == 0) {
                        return;
                    }
                    reading = true;
                    demand--;
                    mine = ++reads;
                }
                if (ended) {
                    sink.complete();
                    return;
                }
                Disposable started = next().subscribe(sink::next, sink::error, () -> {
                    synchronized (this) {
                        reading = false;
                    }
                    if (ended) {
                        // completing takes no demand: a read that found the end gave no block for the unit it took
                        // (data of unknown length ending on a block boundary), and may have been the last unit
                        sink.complete();
                        return;
                    }
                    pump();
                });
                boolean dispose;
                synchronized (this) {
                    if (reads == mine) {
                        read = started; // no later read started while this one was being subscribed
                    }
                    dispose = disposed;
                }
                if (dispose) {
                    started.dispose();
                }
            }

            void dispose() {
                Disposable current;
                synchronized (this) {
                    disposed = true;
                    current = read;
                }
                if (current != null) {
                    current.dispose();
                }
            }
        }

        boolean ended() {
            return ended;
        }

        long total() {
            return total;
        }

        int count() {
            return index;
        }

        void release(Block block) {
            synchronized (outstanding) {
                outstanding.remove(block);
            }
            block.lease().release();
        }

        /** The upload is done: gives back what is left and zeroes the buffers. */
        void close() {
            List<Block> left;
            synchronized (outstanding) {
                left = new ArrayList<>(outstanding);
                outstanding.clear();
            }
            left.forEach(block -> block.lease().release());
            pool.close();
        }

        /** The upload failed or was cancelled: stops reading the source, then as {@link #close()}. */
        void abort() {
            source.cancel();
            close();
        }
    }

    /** Reads up to {@code max} blocks, one after another, or fewer if the source ends first. */
    private Mono<List<Block>> readHead(Blocks blocks, List<Block> head, int max) {
        if (head.size() >= max || blocks.ended()) {
            return Mono.just(head);
        }
        return blocks.next().flatMap(block -> {
            head.add(block);
            return readHead(blocks, head, max);
        }).switchIfEmpty(Mono.fromSupplier(() -> head));
    }

    /** {@code block} encrypted in place on the transfer scheduler; the stored bytes now at the start of its buffer. */
    private Mono<Integer> encrypt(Block block) {
        return Mono.fromCallable(() -> RegionSlots.encrypt(encryptor, block.firstRegion(), block.buffer(),
            block.length())).subscribeOn(Transfers.scheduler());
    }

    /** Data that fits the pool, already read: one Put Blob straight from the buffers. */
    private Mono<Response<BlockBlobItem>> putBlobFromMemory(List<Block> head, long plaintextLength,
        BlobWrite write) {
        AtomicReferenceArray<Integer> stored = new AtomicReferenceArray<>(head.size());
        return Flux.fromIterable(head).flatMap(block -> encrypt(block).doOnNext(n -> stored.set(block.index(), n)),
                Math.max(1, head.size()))
            .then(Mono.defer(() -> {
                List<ByteBuffer> body = new ArrayList<>();
                for (Block block : head) {
                    slice(block.buffer(), stored.get(block.index()), body);
                }
                return putBlob(body.isEmpty() ? BinaryData.fromBytes(new byte[0])
                    : BinaryData.fromListByteBuffer(body), plaintextLength, write);
            }));
    }

    /**
     * Data of known length larger than the pool: encrypted into a temporary file ({@link TransientFile}: in the
     * temporary folder, owner-only, deleted afterwards and on SIGINT/SIGTERM) and sent from it, so the HTTP client
     * sends the file's bytes as they are (with {@code sendfile} where it can) and no block is held in memory. One Put
     * Blob is the whole file; staged blocks take turns in {@code width} slots of one block's stored size, a slot
     * written again only once its block was staged (a retried request resends the same bytes).
     */
    private Mono<Response<BlockBlobItem>> throughSpool(Blocks blocks, long plaintextLength, int width,
        boolean putBlob, BlobWrite write) {
        return Mono.usingWhen(Mono.fromCallable(Spool::create).subscribeOn(Transfers.scheduler()),
            spool -> {
                if (spool.file == null) {
                    // no temporary file: from memory instead (nothing read yet)
                    return stageAndCommit(List.of(), blocks, width, write);
                }
                return Mono.usingWhen(Mono.fromSupplier(() -> new SpoolWriter(blocks, spool)),
                    writer -> putBlob
                        ? writer.write(0, plaintextLength, 0).then(Mono.defer(() -> putBlob(BinaryData.fromFile(
                            spool.file.path(), 0L, layout.encryptedLength(plaintextLength), BODY_SLICE),
                            plaintextLength, write)))
                        : stageFromSpool(writer, spool, plaintextLength, width, write),
                    writer -> Mono.fromRunnable(writer::close));
            },
            spool -> Mono.fromRunnable(spool::delete).subscribeOn(Transfers.scheduler()));
    }

    /** Blocks encrypted one after another into the spool's slots, staged from there, {@code width} at a time. */
    private Mono<Response<BlockBlobItem>> stageFromSpool(SpoolWriter writer, Spool spool, long plaintextLength,
        int width, BlobWrite write) {
        int blockSize = writer.blocks.blockSize;
        long slotSize = layout.encryptedLength(blockSize);
        int blockCount = Math.toIntExact((plaintextLength + blockSize - 1) / blockSize);
        long regionsPerBlock = writer.blocks.regionsPerBlock;
        byte[] uploadId = newUploadId();
        SpoolSlots slots = new SpoolSlots(width);
        return Flux.range(0, blockCount).concatMap(index -> slots.take().flatMap(slot -> {
                int plaintext = (int) Math.min(blockSize, plaintextLength - (long) index * blockSize);
                return writer.write(index * regionsPerBlock, plaintext, slot * slotSize)
                    .map(stored -> new Spooled(index, slot, stored, plaintext));
            }), 0)
            .flatMap(block -> stage(block.index(), BinaryData.fromFile(spool.file.path(), block.slot() * slotSize,
                    block.stored(), BODY_SLICE), block.plaintext(), uploadId, write)
                .then(Mono.fromRunnable(() -> slots.give(block.slot()))), width, 1)
            .then(Mono.defer(() -> commit(uploadId, blockCount, plaintextLength, write)));
    }

    /**
     * The slots of a staging spool: a block waits for a free one before it is written, and gives it back once it
     * was staged.
     */
    private static final class SpoolSlots {
        private final Deque<Integer> free = new ArrayDeque<>();
        private final Deque<MonoSink<Integer>> waiting = new ArrayDeque<>();

        SpoolSlots(int count) {
            for (int slot = 0; slot < count; slot++) {
                free.add(slot);
            }
        }

        /** A free slot, once there is one. */
        Mono<Integer> take() {
            return Mono.create(sink -> {
                Integer slot;
                synchronized (this) {
                    slot = free.poll();
                    if (slot == null) {
                        waiting.add(sink);
                        return;
                    }
                }
                sink.success(slot);
            });
        }

        void give(int slot) {
            MonoSink<Integer> next;
            synchronized (this) {
                next = waiting.poll();
                if (next == null) {
                    free.push(slot);
                    return;
                }
            }
            next.success(slot);
        }
    }

    /** Block {@code index} in spool slot {@code slot}: {@code stored} bytes of {@code plaintext} plaintext bytes. */
    private record Spooled(int index, int slot, long stored, int plaintext) {
    }

    /**
     * Encrypts the source's plaintext into the spool file one slice of at most {@value #SPOOL_SLICE} plaintext bytes
     * at a time, in one buffer of that size: read into it, encrypted in place ({@link RegionEncryptor.Slicing}) on
     * the transfer scheduler and written at its place in the file. No whole region is ever held: the stored bytes
     * are those whole-region encryption makes. One {@link #write} at a time.
     */
    private final class SpoolWriter implements AutoCloseable {
        private final Blocks blocks;
        private final Spool spool;
        private final RegionEncryptor.Slicing slicing = encryptor.slicing();
        /** A provider that holds the ciphertext until a region's end (SunPKCS11) gets whole regions. */
        private final int slice = slicing.streams() ? Math.min(SPOOL_SLICE, layout.regionDataLength())
            : layout.regionDataLength();
        private final BufferPool pool = new BufferPool(1, RegionSlots.storedLength(layout, slice));
        private final BufferPool.Lease lease = pool.lease();

        SpoolWriter(Blocks blocks, Spool spool) {
            this.blocks = blocks;
            this.spool = spool;
        }

        /**
         * Reads the source's next {@code plaintext} bytes (more than 0), the first being the start of region
         * {@code firstRegion}, and writes them encrypted into the file at {@code position}.
         *
         * @return the stored bytes written
         */
        Mono<Long> write(long firstRegion, long plaintext, long position) {
            int regionLength = layout.regionDataLength();
            byte[] buffer = lease.buffer();
            int slicesPerRegion = (regionLength + slice - 1) / slice;
            long regions = layout.regionCount(plaintext);
            long lastRegion = plaintext - (regions - 1) * regionLength;
            long slices = (regions - 1) * slicesPerRegion + (lastRegion + slice - 1) / slice;
            long[] at = {position};
            return Flux.fromStream(LongStream.range(0, slices).boxed()).concatMap(i -> {
                long region = i / slicesPerRegion;
                int inRegion = (int) (i % slicesPerRegion) * slice;
                int regionPlaintext = (int) Math.min(regionLength, plaintext - region * regionLength);
                int n = Math.min(slice, regionPlaintext - inRegion);
                return blocks.read(buffer, n).publishOn(Transfers.scheduler()).doOnNext(got -> {
                    int from = RegionLayout.NONCE_LENGTH;
                    if (inRegion == 0) {
                        from = 0;
                        slicing.begin(firstRegion + region, regionPlaintext, buffer, 0);
                    }
                    int end = RegionLayout.NONCE_LENGTH + slicing.update(buffer, RegionLayout.NONCE_LENGTH, n, buffer,
                        RegionLayout.NONCE_LENGTH);
                    if (inRegion + n == regionPlaintext) {
                        end += slicing.finish(buffer, end);
                    }
                    spool.write(buffer, from, end - from, at[0]);
                    at[0] += end - from;
                });
            }, 0).then(Mono.fromSupplier(() -> at[0] - position));
        }

        /** Gives the buffer back; the pool zeroes it. */
        @Override
        public void close() {
            lease.release();
            pool.close();
        }
    }

    /**
     * The temporary file of ciphertext of a spooled upload (one Put Blob, or staged blocks in slots); {@code file} is
     * {@code null} if none could be made.
     */
    private static final class Spool {
        private final TransientFile file;

        private Spool(TransientFile file) {
            this.file = file;
        }

        static Spool create() {
            try {
                return new Spool(TransientFile.uploadSpool());
            } catch (IOException | UnsupportedOperationException e) {
                return new Spool(null);
            }
        }

        void write(byte[] buffer, int offset, int length, long position) {
            try {
                Transfers.writeFully(file.channel(), buffer, offset, length, position);
            } catch (UncheckedIOException e) {
                throw failure(file, e.getCause());
            }
        }

        void delete() {
            if (file != null) {
                file.close();
            }
        }

        private static UncheckedIOException failure(TransientFile spool, IOException e) {
            return new UncheckedIOException("Could not write the encrypted data to the temporary file " + spool.path()
                + " (" + e.getMessage() + "), from where it is sent. Free space in that folder (or choose another "
                + "with -Djava.io.tmpdir), or set ParallelTransferOptions so that the block size times the maximum "
                + "concurrency is at least the data's length, which keeps it in memory instead.", e);
        }
    }

    private Mono<Response<BlockBlobItem>> putBlob(BinaryData body, long plaintextLength, BlobWrite write) {
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(body).setHeaders(write.headers())
            .setMetadata(write.metadataFor(plaintextLength)).setTags(write.tags()).setTier(write.tier())
            .setRequestConditions(write.conditions());
        RequestProgress request = RequestProgress.of(progress, layout, plaintextLength);
        return send(blockBlob.uploadWithResponse(options), write, RequestProgress.attach(request, write.context()))
            .doOnNext(response -> RequestProgress.complete(request));
    }

    /** Stages every block (those read ahead first) as it is encrypted, then commits them in order. */
    private Mono<Response<BlockBlobItem>> stageAndCommit(List<Block> head, Blocks blocks, int width,
        BlobWrite write) {
        byte[] uploadId = newUploadId();
        return blocks.after(head).flatMap(block -> encrypt(block).flatMap(stored -> {
                List<ByteBuffer> body = new ArrayList<>();
                slice(block.buffer(), stored, body);
                return stage(block.index(), BinaryData.fromListByteBuffer(body), block.length(), uploadId, write);
            }).then(Mono.fromRunnable(() -> blocks.release(block))), width, 1)
            .then(Mono.defer(() -> commit(uploadId, blocks.count(), blocks.total(), write)));
    }

    /** Random per upload, so block ids are never another upload's; no secret (ids are visible). */
    private static byte[] newUploadId() {
        byte[] uploadId = new byte[8];
        ThreadLocalRandom.current().nextBytes(uploadId);
        return uploadId;
    }

    /** Put Block List of the upload's blocks {@code 0..count-1}, with the metadata for {@code plaintextLength}. */
    private Mono<Response<BlockBlobItem>> commit(byte[] uploadId, int count, long plaintextLength, BlobWrite write) {
        List<String> blockIds = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            blockIds.add(blockId(uploadId, i));
        }
        BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(blockIds)
            .setHeaders(write.headers()).setMetadata(write.metadataFor(plaintextLength)).setTags(write.tags())
            .setTier(write.tier()).setRequestConditions(write.conditions());
        return send(blockBlob.commitBlockListWithResponse(commit), write, write.context())
            .onErrorMap(e -> e instanceof BlobStorageException storage
                && BlobErrorCode.INVALID_BLOCK_LIST.equals(storage.getErrorCode()), e -> blocksDiscarded(
                    (BlobStorageException) e));
    }

    /**
     * The commit named blocks the service no longer has. Block ids are random per upload, so they are never another
     * upload's; this upload's staged blocks are gone because another upload committed the blob meanwhile (a commit
     * discards the blob's other uncommitted blocks). Said so, with the service's response kept.
     */
    private BlobStorageException blocksDiscarded(BlobStorageException e) {
        BlobStorageException clear = new BlobStorageException("Put Block List of " + blockBlob.getContainerName()
            + "/" + blockBlob.getBlobName() + " failed (InvalidBlockList): the blocks this upload staged are gone, "
            + "because another upload committed the blob while this one was staging them (a commit discards the "
            + "blob's other uncommitted blocks). The blob holds the other upload's data, whole; nothing of this "
            + "upload was committed. Upload again if this data should replace it.", e.getResponse(), e.getValue());
        clear.addSuppressed(e);
        return clear;
    }

    /** Stages block {@code index}: {@code body} is its stored bytes, of {@code plaintextLength} plaintext bytes. */
    private Mono<Void> stage(int index, BinaryData body, int plaintextLength, byte[] uploadId, BlobWrite write) {
        RequestProgress request = RequestProgress.of(progress, layout, plaintextLength);
        return send(blockBlob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId(uploadId, index), body)
                .setLeaseId(write.leaseId())), write, RequestProgress.attach(request, write.context()))
            .doOnNext(response -> RequestProgress.complete(request)).then();
    }

    /** One request with the write's timeout and the given context (the caller's, with a progress reporter). */
    private static <T> Mono<T> send(Mono<T> request, BlobWrite write, Context context) {
        Mono<T> timed = write.timeout() == null ? request : request.timeout(write.timeout());
        return timed.contextWrite(FluxUtil.toReactorContext(context));
    }

    /** Appends {@code [0, length)} of {@code buffer} as {@link #BODY_SLICE}-byte views (no copy). */
    private static void slice(byte[] buffer, int length, List<ByteBuffer> into) {
        for (int pos = 0; pos < length; pos += BODY_SLICE) {
            into.add(ByteBuffer.wrap(buffer, pos, Math.min(BODY_SLICE, length - pos)));
        }
    }

    /** Block ids: base64 of the upload's random 8 bytes and the block index, all the same length. */
    private static String blockId(byte[] uploadId, int index) {
        ByteBuffer id = ByteBuffer.allocate(16).put(uploadId).putLong(index);
        return Base64.getEncoder().encodeToString(id.array());
    }
}
