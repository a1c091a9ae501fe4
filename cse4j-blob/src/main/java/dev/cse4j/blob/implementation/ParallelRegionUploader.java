package dev.cse4j.blob.implementation;

import com.azure.core.exception.UnexpectedLengthException;
import com.azure.core.http.rest.Response;
import com.azure.core.util.BinaryData;
import com.azure.core.util.ProgressReporter;
import com.azure.storage.blob.models.BlockBlobItem;
import com.azure.storage.blob.options.BlockBlobCommitBlockListOptions;
import com.azure.storage.blob.options.BlockBlobSimpleUploadOptions;
import com.azure.storage.blob.options.BlockBlobStageBlockOptions;
import com.azure.storage.blob.specialized.BlockBlobClient;
import dev.cse4j.core.implementation.RegionEncryptor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.security.SecureRandom;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.Future;

/**
 * Uploads plaintext from a stream as an encrypted block blob.
 *
 * <ul>
 *   <li>The calling thread reads the source one block at a time (a block is whole regions,
 *       {@link TransferTuning#blockPlaintextSize()}); workers encrypt each block's regions and stage it, with at most
 *       {@code maxConcurrency} blocks in flight. Memory is bounded by that window, not by the blob size, and the
 *       source's length need not be known.</li>
 *   <li>Data that ends within {@link TransferTuning#maxSingleUploadSize()} is sent as one Put Blob request.</li>
 *   <li>Otherwise the staged blocks are committed with Put Block List. Either way the final request carries the
 *       metadata with {@code encryptiondata}, so the blob never exists without it.</li>
 * </ul>
 * Every region index is encrypted exactly once with the blob's fresh content key.
 */
public final class ParallelRegionUploader {
    private static final SecureRandom RANDOM = new SecureRandom();

    private final BlockBlobClient blockBlob;
    private final RegionEncryptor encryptor;
    private final TransferTuning tuning;
    private final ProgressReporter progress;
    private final int regionLength;

    /**
     * @param progress receives plaintext bytes uploaded, or {@code null}
     */
    public ParallelRegionUploader(BlockBlobClient blockBlob, RegionEncryptor encryptor, TransferTuning tuning,
        ProgressReporter progress) {
        this.blockBlob = blockBlob;
        this.encryptor = encryptor;
        this.regionLength = encryptor.layout().regionDataLength();
        this.tuning = tuning;
        this.progress = progress;
    }

    /**
     * @param length the source's length, or {@code -1} if unknown (read to its end)
     * @throws UnexpectedLengthException if the source ends before {@code length} bytes
     */
    public Response<BlockBlobItem> upload(InputStream source, long length, BlobWrite write) {
        TransferTuning t = length >= 0 ? tuning.fitting(length, regionLength) : tuning;
        long blockSize = t.blockPlaintextSize();
        long remaining = length >= 0 ? length : Long.MAX_VALUE;
        // Read blocks until the data ends or passes the single-upload limit.
        List<byte[]> head = new ArrayList<>();
        long headBytes = 0;
        boolean ended = false;
        while (!ended && headBytes <= t.maxSingleUploadSize()) {
            byte[] block = readBlock(source, (int) Math.min(blockSize, remaining), length, headBytes);
            remaining -= block.length;
            headBytes += block.length;
            ended = block.length < blockSize || remaining == 0;
            if (block.length > 0 || head.isEmpty()) {
                head.add(block);
            }
            if (length >= 0 && remaining == 0) {
                ended = true;
            }
        }
        if (ended && headBytes <= t.maxSingleUploadSize()) {
            return putBlob(head, headBytes, write);
        }
        return stageAndCommit(head, ended, source, remaining, length, blockSize, t.maxConcurrency(), write);
    }

    /** Reads one block (fewer bytes only at the end of the source). */
    private byte[] readBlock(InputStream source, int size, long length, long readSoFar) {
        byte[] block = new byte[size];
        int n = 0;
        try {
            while (n < size) {
                int k = source.read(block, n, size - n);
                if (k < 0) {
                    break;
                }
                n += k;
            }
        } catch (IOException e) {
            throw new UncheckedIOException("Reading the data to upload failed", e);
        }
        if (length >= 0 && n < size) {
            throw new UnexpectedLengthException("The data to upload ended after " + (readSoFar + n) + " bytes, but "
                + length + " were declared.", readSoFar + n, length);
        }
        return n == size ? block : Arrays.copyOf(block, n);
    }

    private Response<BlockBlobItem> putBlob(List<byte[]> blocks, long plaintextLength, BlobWrite write) {
        byte[] encrypted = new byte[Math.toIntExact(encryptor.layout().encryptedLength(plaintextLength))];
        long region = 0;
        int written = 0;
        for (byte[] block : blocks) {
            written += encryptBlock(region, block, encrypted, written);
            region += encryptor.layout().regionCount(block.length);
            Arrays.fill(block, (byte) 0);
        }
        BlockBlobSimpleUploadOptions options = new BlockBlobSimpleUploadOptions(BinaryData.fromBytes(encrypted))
            .setHeaders(write.headers()).setMetadata(write.metadata()).setTags(write.tags()).setTier(write.tier())
            .setRequestConditions(write.conditions());
        Response<BlockBlobItem> response = blockBlob.uploadWithResponse(options, write.timeout(), write.context());
        report(plaintextLength);
        return response;
    }

    private Response<BlockBlobItem> stageAndCommit(List<byte[]> head, boolean sourceEnded, InputStream source,
        long remaining, long length, long blockSize, int maxConcurrency, BlobWrite write) {
        byte[] uploadId = new byte[8];
        RANDOM.nextBytes(uploadId);
        List<String> blockIds = new ArrayList<>();
        Deque<Future<?>> window = new ArrayDeque<>();
        long regionsPerBlock = blockSize / regionLength;
        try {
            Deque<byte[]> pending = new ArrayDeque<>(head);
            head.clear();
            long readSoFar = 0;
            boolean ended = sourceEnded;
            while (true) {
                byte[] block;
                if (!pending.isEmpty()) {
                    block = pending.poll();
                } else if (!ended && remaining > 0) {
                    block = readBlock(source, (int) Math.min(blockSize, remaining), length, readSoFar);
                    remaining -= block.length;
                    if (block.length < blockSize) {
                        ended = true;
                    }
                } else {
                    break;
                }
                readSoFar += block.length;
                if (block.length == 0) {
                    continue;
                }
                int index = blockIds.size();
                if (index >= TransferTuning.MAX_BLOCKS) {
                    throw new IllegalArgumentException("The data needs more than " + TransferTuning.MAX_BLOCKS
                        + " blocks of " + blockSize + " bytes, the service's limit. Set a larger block size "
                        + "(ParallelTransferOptions.setBlockSizeLong), or give the data's length.");
                }
                String blockId = blockId(uploadId, index);
                blockIds.add(blockId);
                if (window.size() >= maxConcurrency) {
                    Transfers.await(window.poll());
                }
                long firstRegion = index * regionsPerBlock;
                byte[] plain = block;
                window.add(Transfers.pool().submit(() -> stage(blockId, firstRegion, plain, write)));
            }
            while (!window.isEmpty()) {
                Transfers.await(window.poll());
            }
        } catch (RuntimeException | Error e) {
            Transfers.cancelAll(window);
            throw e;
        }
        BlockBlobCommitBlockListOptions commit = new BlockBlobCommitBlockListOptions(blockIds)
            .setHeaders(write.headers()).setMetadata(write.metadata()).setTags(write.tags()).setTier(write.tier())
            .setRequestConditions(write.conditions());
        return blockBlob.commitBlockListWithResponse(commit, write.timeout(), write.context());
    }

    private Void stage(String blockId, long firstRegion, byte[] plain, BlobWrite write) {
        byte[] encrypted = new byte[Math.toIntExact(encryptor.layout().encryptedLength(plain.length))];
        encryptBlock(firstRegion, plain, encrypted, 0);
        Arrays.fill(plain, (byte) 0);
        blockBlob.stageBlockWithResponse(new BlockBlobStageBlockOptions(blockId, BinaryData.fromBytes(encrypted))
            .setLeaseId(write.leaseId()), write.timeout(), write.context());
        report(plain.length);
        return null;
    }

    /** Encrypts the regions of {@code plain}, the first being region {@code firstRegion}; returns bytes written. */
    private int encryptBlock(long firstRegion, byte[] plain, byte[] out, int outOff) {
        int written = 0;
        long region = firstRegion;
        for (int pos = 0; pos < plain.length; pos += regionLength) {
            written += encryptor.encryptRegion(region++, plain, pos, Math.min(regionLength, plain.length - pos), out,
                outOff + written);
        }
        return written;
    }

    /** Block ids: base64 of the upload's random 8 bytes and the block index, all the same length. */
    private static String blockId(byte[] uploadId, int index) {
        ByteBuffer id = ByteBuffer.allocate(16).put(uploadId).putLong(index);
        return Base64.getEncoder().encodeToString(id.array());
    }

    private void report(long bytes) {
        if (progress != null && bytes > 0) {
            progress.reportProgress(bytes);
        }
    }
}
