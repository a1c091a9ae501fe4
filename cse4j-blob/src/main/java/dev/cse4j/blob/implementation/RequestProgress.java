package dev.cse4j.blob.implementation;

import com.azure.core.util.Context;
import com.azure.core.util.Contexts;
import com.azure.core.util.ProgressListener;
import com.azure.core.util.ProgressReporter;
import dev.cse4j.core.implementation.RegionLayout;

/**
 * The upload progress of one request (a Put Blob or a Put Block), reported to the transfer's reporter in plaintext
 * bytes while the HTTP client sends the body, as the Azure SDK reports a plain upload: the request carries a
 * reporter in its context ({@link Contexts#setHttpRequestProgressReporter}) that the HTTP client (Netty) feeds
 * with the stored bytes written, and that azure-storage's retry policy resets before a retry (so the transfer's
 * total goes back by what the failed attempt had reported). Stored bytes become plaintext bytes region by region:
 * {@code sent} stored bytes of a body starting at a region boundary hold {@code ⌊sent / (R + 28)⌋} whole regions
 * and the part of the next one past its 12-byte nonce. When the request succeeds, whatever the HTTP client did not
 * report (one that reports nothing) is reported then, so the total always ends at the plaintext length.
 */
final class RequestProgress implements ProgressListener {
    private final ProgressReporter transfer;
    private final RegionLayout layout;
    private final long plaintextLength;
    private long reported;

    private RequestProgress(ProgressReporter transfer, RegionLayout layout, long plaintextLength) {
        this.transfer = transfer;
        this.layout = layout;
        this.plaintextLength = plaintextLength;
    }

    /**
     * @param transfer the transfer's reporter, or {@code null} for none
     * @param plaintextLength the plaintext bytes the request's body holds (whole regions but maybe the last)
     * @return the request's progress, or {@code null} without a transfer reporter
     */
    static RequestProgress of(ProgressReporter transfer, RegionLayout layout, long plaintextLength) {
        return transfer == null ? null : new RequestProgress(transfer, layout, plaintextLength);
    }

    /** {@code context} with this request's reporter, for the HTTP client to feed. */
    static Context attach(RequestProgress progress, Context context) {
        return progress == null ? context : Contexts.with(context)
            .setHttpRequestProgressReporter(ProgressReporter.withProgressListener(progress)).getContext();
    }

    /** After the request succeeded: reports what the HTTP client did not. */
    static void complete(RequestProgress progress) {
        if (progress != null) {
            progress.report(progress.plaintextLength);
        }
    }

    /** @param storedBytesSent the body bytes sent so far in this attempt (0 again when a retry starts) */
    @Override
    public void handleProgress(long storedBytesSent) {
        long regions = storedBytesSent / layout.encryptedRegionLength();
        long intoRegion = storedBytesSent % layout.encryptedRegionLength() - RegionLayout.NONCE_LENGTH;
        long plaintext = regions * layout.regionDataLength()
            + Math.max(0, Math.min(intoRegion, layout.regionDataLength()));
        report(Math.min(plaintext, plaintextLength));
    }

    private synchronized void report(long plaintext) {
        long delta = plaintext - reported;
        if (delta != 0) {
            reported = plaintext;
            transfer.reportProgress(delta);
        }
    }
}
