package dev.cse4j.blob.implementation;

import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.ProgressReporter;
import com.azure.storage.blob.models.BlobErrorCode;
import com.azure.storage.blob.models.BlobStorageException;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.cse4j.core.implementation.RegionEncryptor;
import dev.cse4j.core.implementation.RegionLayout;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Deque;
import java.util.Iterator;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Uploads plaintext from a stream as an encrypted block blob, with {@link TransferTuning}'s semantics (those of the
 * Azure SDK's {@code ParallelTransferOptions}): data of known length up to {@code maxSingleUploadSize} is one Put
 * Blob request, anything else is staged in blocks of {@code blockSize} plaintext bytes, {@code maxConcurrency} at a
 * time, and committed with Put Block List.
 *
 * <p>How: the calling thread reads the source one block at a time, straight into a buffer from the transfer's
 * {@link BufferPool} ({@code maxConcurrency} buffers of one block's stored size, at most processors + 1 of them while
 * spooling, which waits on no request; memory never depends on the blob size); workers encrypt each block in place
 * ({@link RegionSlots}) and send it, or write it into the spool file. Request bodies are the pool's buffers
 * themselves, in {@value #BODY_SLICE}-byte slices (no copy on our side; the HTTP client copies each slice into a
 * pooled direct buffer as it writes), and are replayable, so the
 * SDK's retries resend the same ciphertext and never re-encrypt. A single Put Blob larger than the pool is sent from
 * a temporary file of ciphertext ({@link TransientFile}) rather than from memory: the one way to give the
 * SDK a replayable body of that size without holding it in memory (measured with azure-storage-blob 12.33.1: a
 * 256 MiB body from a mark-supporting stream is buffered whole, ~800 MiB peak RSS; one from a {@code Flux} is not
 * replayable and is buffered too, ~330 MiB; a file body stays at the plain client's ~120 MiB).
 *
 * <p>Every region index is encrypted exactly once with the blob's fresh content key. The final request (Put Blob or
 * Put Block List) carries the metadata with {@code encryptiondata} and the integrity record (sealed with the
 * plaintext length, known only then), so the blob never exists without them. Data of
 * unknown length is one Put Blob only if it ends within {@code maxConcurrency} blocks (what fits the pool).
 */
public final class ParallelRegionUploader {
    /**
     * Slice of a buffer per request-body {@link ByteBuffer}, and per file read of the spool. 1 MiB: 64 KiB slices
     * made the HTTP client's per-write path hot enough to cost ~12% more client CPU on staged uploads (measured,
     * 256 MiB, 4 MiB blocks), and one slice per block made its direct-buffer copies larger (+15-25 MiB peak RSS).
     */
    static final int BODY_SLICE = 1024 * 1024;
    /** Below this region length the source is read through a buffer, so small regions make no small reads. */
    private static final int SMALL_REGION = 64 * 1024;
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlockBlobClient blockBlob;
    private final RegionEncryptor encryptor;
    private final RegionLayout layout;
    private final TransferTuning tuning;
    private final ProgressReporter progress;
    private final Runnable sourceCheck;

    /**
     * @param progress receives plaintext bytes uploaded as each request's body is sent ({@link RequestProgress}),
     *     or {@code null}
     * @param sourceCheck run once the source has been read to its end, before the request that commits the blob
     *     (e.g. that a file did not change while it was read); it throws to commit nothing. {@code null}: none
     */
    public ParallelRegionUploader(BlockBlobClient blockBlob, RegionEncryptor encryptor, TransferTuning tuning,
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
     * @throws UnexpectedLengthException if the source ends before {@code length} bytes or has more than that (as
     *     the Azure SDK refuses a body longer than declared); nothing is committed
     */
    public Response<BlockBlobItem> upload(InputStream source, long length, BlobWrite write) {
        TransferTuning t = length >= 0 ? tuning.fitting(length, layout.regionDataLength()) : tuning;
        int blockSize = Math.toIntExact(t.blockPlaintextSize());
        long single = t.maxSingleUploadSize();
        int bufferSize = RegionSlots.storedLength(layout, length >= 0 ? Math.min(length, blockSize) : blockSize);
        InputStream in = layout.regionDataLength() < SMALL_REGION ? new BufferedInputStream(source, SMALL_REGION)
            : source;
        boolean fitsPool = length >= 0 && length <= (long) blockSize * t.maxConcurrency();
        boolean spool = length >= 0 && length <= single && !fitsPool;
        // Spooling waits on no request, only on the CPU: one buffer per core and one being read is enough.
        int buffers = spool ? Math.min(t.maxConcurrency(), Runtime.getRuntime().availableProcessors() + 1)
            : t.maxConcurrency();
        try (BufferPool pool = new BufferPool(buffers, bufferSize)) {
            Blocks blocks = new Blocks(in, length, blockSize, pool);
            if (spool) {
                return putBlobThroughSpool(blocks, length, write);
            }
            List<Block> head = new ArrayList<>();
            if (length <= single) {
                for (Block block; head.size() < t.maxConcurrency() && (block = blocks.next()) != null; ) {
                    head.add(block);
                }
                if (blocks.ended() && blocks.total() <= single) {
                    return putBlobFromMemory(head, blocks.total(), write);
                }
            }
            return stageAndCommit(head, blocks, write);
        }
    }

    /**
     * One block read from the source: {@code length} plaintext bytes in {@code buffer}'s region slots, the first
     * being region {@code firstRegion} of the blob.
     */
    private record Block(int index, long firstRegion, byte[] buffer, int length) {
    }

    /** What is done with each encrypted block, on a worker: {@code stored} bytes at the start of its buffer. */
    private interface BlockSink {
        void accept(Block block, int stored);
    }

    /** Where blocks come from: the ones read ahead, then the rest of the source (or none). */
    private interface BlockSource {
        /** The next block, or {@code null} at the end. */
        Block next();
    }

    /** The source, cut into blocks as it is read (on the calling thread). */
    private final class Blocks {
        private final InputStream in;
        private final long length;
        private final int blockSize;
        private final BufferPool pool;
        private long total;
        private boolean ended;
        private int index;

        Blocks(InputStream in, long length, int blockSize, BufferPool pool) {
            this.in = in;
            this.length = length;
            this.blockSize = blockSize;
            this.pool = pool;
        }

        /** The next block, in a buffer taken from the pool (waiting for one), or {@code null} at the end. */
        Block next() {
            if (ended) {
                return null;
            }
            if (index >= TransferTuning.MAX_BLOCKS) {
                throw new IllegalArgumentException("The data needs more than " + TransferTuning.MAX_BLOCKS
                    + " blocks of " + blockSize + " bytes, the service's limit. Set a larger block size "
                    + "(ParallelTransferOptions.setBlockSizeLong), or give the data's length.");
            }
            int want = (int) Math.min(blockSize, length >= 0 ? length - total : blockSize);
            byte[] buffer = pool.take();
            int got = RegionSlots.read(in, layout, buffer, want);
            total += got;
            if (length >= 0 && got < want) {
                pool.give(buffer);
                throw new UnexpectedLengthException("The data to upload ended after " + total + " bytes, but "
                    + length + " were declared.", total, length);
            }
            ended = got < blockSize || total == length;
            if (ended) {
                checkSourceEnded();
            }
            if (got == 0) {
                pool.give(buffer);
                return null;
            }
            Block block = new Block(index, (long) index * (blockSize / layout.regionDataLength()), buffer, got);
            index++;
            return block;
        }

        /**
         * Runs once the source was read to its end, before anything is committed: the source check, then, for a
         * declared length, that the source has no byte more.
         */
        private void checkSourceEnded() {
            if (sourceCheck != null) {
                sourceCheck.run();
            }
            if (length < 0) {
                return;
            }
            int more;
            try {
                more = in.read();
            } catch (IOException e) {
                throw new UncheckedIOException("Reading the data to upload failed", e);
            }
            if (more != -1) {
                throw new UnexpectedLengthException("The data to upload has more than the " + length + " bytes "
                    + "declared, so nothing was committed: declare its full length, or give a stream that ends there.",
                    length + 1, length);
            }
        }

        boolean ended() {
            return ended;
        }

        long total() {
            return total;
        }

        void release(Block block) {
            pool.give(block.buffer());
        }

        /** {@code head}, then the blocks still to read. */
        BlockSource after(List<Block> head) {
            Iterator<Block> ready = head.iterator();
            return () -> ready.hasNext() ? ready.next() : next();
        }
    }

    /** Data that fits the pool, already read: one Put Blob straight from the buffers. */
    private Response<BlockBlobItem> putBlobFromMemory(List<Block> head, long plaintextLength, BlobWrite write) {
        int[] stored = new int[head.size()];
        Iterator<Block> blocks = head.iterator();
        runOnWorkers(() -> blocks.hasNext() ? blocks.next() : null, (block, n) -> stored[block.index()] = n,
            block -> { });
        List<ByteBuffer> body = new ArrayList<>();
        for (Block block : head) {
            slice(block.buffer(), stored[block.index()], body);
        }
        return putBlob(body.isEmpty() ? BinaryData.fromBytes(new byte[0]) : BinaryData.fromListByteBuffer(body),
            plaintextLength, write);
    }

    /**
     * Data larger than the pool but sent as one request: encrypted into a temporary file ({@link TransientFile}: in
     * the temporary folder, owner-only, deleted afterwards and on SIGINT/SIGTERM), sent from it.
     */
    private Response<BlockBlobItem> putBlobThroughSpool(Blocks blocks, long plaintextLength, BlobWrite write) {
        TransientFile spool;
        try {
            spool = TransientFile.uploadSpool();
        } catch (IOException | UnsupportedOperationException e) {
            // nothing read yet: stage blocks from memory instead
            return stageAndCommit(List.of(), blocks, write);
        }
        try (spool) {
            FileChannel channel = spool.channel();
            runOnWorkers(blocks::next, (block, stored) -> {
                try {
                    Transfers.writeFully(channel, block.buffer(), 0, stored,
                        layout.encryptedOffset(block.firstRegion()));
                } catch (UncheckedIOException e) {
                    throw spoolFailure(spool.path(), e.getCause());
                }
            }, blocks::release);
            return putBlob(BinaryData.fromFile(spool.path(), 0L, layout.encryptedLength(plaintextLength),
                BODY_SLICE), plaintextLength, write);
        }
    }

    private Response<BlockBlobItem> putBlob(BinaryData body, long plaintextLength, BlobWrite write) {
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(body).setHeaders(write.headers())
            .setMetadata(write.metadataFor(plaintextLength)).setTags(write.tags()).setTier(write.tier())
            .setRequestConditions(write.conditions());
        RequestProgress request = RequestProgress.of(progress, layout, plaintextLength);
        Response<BlockBlobItem> response = blockBlob.uploadWithResponse(options, write.timeout(),
            RequestProgress.attach(request, write.context()));
        RequestProgress.complete(request);
        return response;
    }

    /** Stages every block (those read ahead first) as it is encrypted, then commits them in order. */
    private Response<BlockBlobItem> stageAndCommit(List<Block> head, Blocks blocks, BlobWrite write) {
        byte[] uploadId = new byte[8];
        RANDOM.nextBytes(uploadId);
        int count = runOnWorkers(blocks.after(head), (block, stored) -> {
            List<ByteBuffer> body = new ArrayList<>();
            slice(block.buffer(), stored, body);
            RequestProgress request = RequestProgress.of(progress, layout, block.length());
            blockBlob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId(uploadId, block.index()),
                BinaryData.fromListByteBuffer(body)).setLeaseId(write.leaseId()), write.timeout(),
                RequestProgress.attach(request, write.context()));
            RequestProgress.complete(request);
        }, blocks::release);
        List<String> blockIds = new ArrayList<>(count);
        long plaintextLength = blocks.total();
        for (int i = 0; i < count; i++) {
            blockIds.add(blockId(uploadId, i));
        }
        BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(blockIds)
            .setHeaders(write.headers()).setMetadata(write.metadataFor(plaintextLength)).setTags(write.tags())
            .setTier(write.tier())
            .setRequestConditions(write.conditions());
        try {
            return blockBlob.commitBlockListWithResponse(commit, write.timeout(), write.context());
        } catch (BlobStorageException e) {
            if (BlobErrorCode.INVALID_BLOCK_LIST.equals(e.getErrorCode())) {
                throw blocksDiscarded(e);
            }
            throw e;
        }
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

    /**
     * Encrypts each block of {@code source} on a worker and hands it to {@code sink} there, then to {@code done}
     * (which gives the buffer back, also on failure). Reading (on this thread) waits for a free buffer, so at most
     * the pool's capacity of blocks are in flight. Returns the number of blocks; the first failure is thrown once
     * the other tasks are cancelled.
     */
    private int runOnWorkers(BlockSource source, BlockSink sink, java.util.function.Consumer<Block> done) {
        Deque<Future<?>> running = new ArrayDeque<>();
        int count = 0;
        try {
            for (Block block; (block = source.next()) != null; count++) {
                Block mine = block;
                running.add(Transfers.pool().submit(() -> {
                    try {
                        sink.accept(mine, RegionSlots.encrypt(encryptor, mine.firstRegion(), mine.buffer(),
                            mine.length()));
                    } finally {
                        done.accept(mine);
                    }
                    return null;
                }));
                awaitFinished(running);
            }
            while (!running.isEmpty()) {
                Transfers.await(running.poll());
            }
            return count;
        } catch (RuntimeException | Error e) {
            Transfers.cancelAll(running);
            throw e;
        }
    }

    /** Rethrows the failure of any task that has finished, so a failed transfer stops reading at once. */
    private static void awaitFinished(Deque<Future<?>> running) {
        for (Iterator<Future<?>> it = running.iterator(); it.hasNext(); ) {
            Future<?> future = it.next();
            if (future.isDone()) {
                it.remove();
                Transfers.await(future);
            }
        }
    }

    /** Appends {@code [0, length)} of {@code buffer} as {@link #BODY_SLICE}-byte views (no copy). */
    private static void slice(byte[] buffer, int length, List<ByteBuffer> into) {
        for (int pos = 0; pos < length; pos += BODY_SLICE) {
            into.add(ByteBuffer.wrap(buffer, pos, Math.min(BODY_SLICE, length - pos)));
        }
    }

    private static UncheckedIOException spoolFailure(Path spool, IOException e) {
        return new UncheckedIOException("Could not write the encrypted data to the temporary file " + spool + " ("
            + e.getMessage() + "), from where it is sent as one request. Free space in that folder (or choose "
            + "another with -Djava.io.tmpdir), or set ParallelTransferOptions.setMaxSingleUploadSizeLong lower so "
            + "that the data is staged in blocks from memory instead.", e);
    }

    /** Block ids: base64 of the upload's random 8 bytes and the block index, all the same length. */
    private static String blockId(byte[] uploadId, int index) {
        ByteBuffer id = ByteBuffer.allocate(16).put(uploadId).putLong(index);
        return Base64.getEncoder().encodeToString(id.array());
    }
}
