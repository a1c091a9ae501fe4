package dev.cse4j.cli;

import com.azure.core.exception.HttpResponseException;
import com.azure.core.http.HttpHeaderName;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.keys.JsonWebKeyException;
import dev.cse4j.queue.QueueMessageTooLargeException;

import java.io.UncheckedIOException;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.List;

/**
 * The one place that turns an exception into an exit code and a one-line message. Causes are searched: the Azure
 * SDK and reactive code often wrap cse4j's typed exceptions.
 *
 * <table>
 *   <caption>Exit codes by exception</caption>
 *   <tr><td>{@link IntegrityException}, {@link MalformedEncryptionDataException}, {@link KeyWrapException}</td>
 *       <td>3</td></tr>
 *   <tr><td>{@link KeyResolutionException}</td><td>4</td></tr>
 *   <tr><td>{@link EncryptionPolicyException}</td><td>5</td></tr>
 *   <tr><td>{@link CliFailure}</td><td>its own</td></tr>
 *   <tr><td>anything else (a bad key file, a queue message too large to send, I/O, the service)</td><td>1</td></tr>
 * </table>
 * Usage errors (2) are picocli's {@code ParameterException}s, reported by {@link Commands}.
 */
final class Failures {
    private static final HttpHeaderName ERROR_CODE = HttpHeaderName.fromString("x-ms-error-code");

    private Failures() {
    }

    static ExitCode exitCode(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof CliFailure cli) {
                return cli.exitCode();
            }
            if (t instanceof ClientSideEncryptionException) {
                return exitCodeOf((ClientSideEncryptionException) t);
            }
        }
        return ExitCode.OTHER;
    }

    private static ExitCode exitCodeOf(ClientSideEncryptionException e) {
        if (e instanceof IntegrityException || e instanceof MalformedEncryptionDataException
            || e instanceof KeyWrapException) {
            return ExitCode.INTEGRITY;
        }
        if (e instanceof KeyResolutionException) {
            return ExitCode.KEY_NOT_FOUND;
        }
        if (e instanceof EncryptionPolicyException) {
            return ExitCode.POLICY;
        }
        return ExitCode.OTHER; // JsonWebKeyException: the key file cannot be used
    }

    /**
     * What failed and what to do, on one line, with the service's and the metadata's strings escaped
     * ({@link TerminalText#oneLine}; {@link Commands} bounds the line's length); never key material (cse4j's
     * messages never carry any).
     */
    static String message(Throwable failure) {
        for (Throwable t : chain(failure)) {
            if (t instanceof EncryptionPolicyException e && cliAdvice(e) != null) {
                return cliAdvice(e);
            }
            if (t instanceof CliFailure || t instanceof ClientSideEncryptionException) {
                return TerminalText.oneLine(t.getMessage());
            }
        }
        for (Throwable t : chain(failure)) {
            String known = describeKnown(t);
            if (known != null) {
                return known;
            }
        }
        String text = failure.getMessage();
        return TerminalText.oneLine(failure.getClass().getSimpleName()
            + (text == null || text.isBlank() ? "" : ": " + text));
    }

    /**
     * The command's own words for a policy refusal whose library message advises a library setting, or {@code null}
     * where the library's message serves as it is.
     */
    private static String cliAdvice(EncryptionPolicyException e) {
        switch (e.getReason()) {
            case UNENCRYPTED:
                return "The data is not encrypted (it has no encryption metadata), so it was refused: cse4j reads "
                    + "only client-side encrypted data. Read it with a plain client if it is meant to be unencrypted.";
            case UNAUTHENTICATED_V1:
                return "The data uses legacy protocol 1.0 (AES-CBC), which is not authenticated: its content can be "
                    + "modified undetectably, and its decryption errors are a padding oracle (CVE-2022-30187). It "
                    + "was refused. If you trust the storage account, pass --allow-v1, and re-encrypt the data with "
                    + "protocol 2.x.";
            case REGION_TOO_LARGE:
                return "The blob's protocol 2.1 regions are longer than this download reads (--max-region-size, "
                    + "default 67108864 bytes): each region is held in memory whole until it verified. If you trust "
                    + "the blob, pass a larger --max-region-size ('cse4j blob inspect' shows its region size); "
                    + "otherwise its metadata may have been modified.";
            case MISSING_INTEGRITY_RECORD:
                return "The blob has no integrity record (metadata cse4jintegrity), and --require-integrity-record "
                    + "requires one: the record was removed, or the blob was written by another SDK or an older cse4j. "
                    + "Nothing was decrypted. If such blobs are expected here, download without "
                    + "--require-integrity-record; to give the blob a record, download it and upload it again with "
                    + "'cse4j blob upload'.";
            default:
                return null;
        }
    }

    private static String describeKnown(Throwable t) {
        if (t instanceof JsonWebKeyException || t instanceof QueueMessageTooLargeException) {
            return TerminalText.oneLine(t.getMessage());
        }
        if (t instanceof NoSuchFileException e) {
            return "No such file or folder: " + e.getFile() + ". Check the path.";
        }
        if (t instanceof AccessDeniedException e) {
            return "Permission denied: " + e.getFile() + ". Check the path and its permissions.";
        }
        if (t instanceof FileAlreadyExistsException e) {
            return e.getFile() + " exists. Choose another path or remove it first.";
        }
        if (t instanceof ConnectException || t instanceof UnknownHostException) {
            return "Cannot reach the storage service (" + TerminalText.oneLine(String.valueOf(t.getMessage()))
                + "). Check --connection-string or " + CliContext.CONNECTION_STRING_VARIABLE + " (default: Azurite on "
                + "127.0.0.1:10000-10002), and that the service is running.";
        }
        if (t instanceof HttpResponseException e && e.getResponse() != null) {
            int status = e.getResponse().getStatusCode();
            return "The storage service refused the request: HTTP " + status + errorCode(e) + "." + (status == 401
                || status == 403 ? " Check the connection string's account and key (or SAS) and their permissions."
                : status == 404 ? " Check the names given." : "");
        }
        if (t instanceof UncheckedIOException && t.getMessage() != null && !t.getMessage().isBlank()
            && !t.getMessage().equals(String.valueOf(t.getCause()))) {
            return TerminalText.oneLine(t.getMessage());
        }
        return null;
    }

    private static String errorCode(HttpResponseException e) {
        String code = serviceErrorCode(e);
        return code == null ? "" : " (" + code + ")";
    }

    /** The service's error code ({@code x-ms-error-code}) of a response failure, or null if it has none. */
    static String serviceErrorCode(HttpResponseException e) {
        return e.getResponse() == null ? null : e.getResponse().getHeaders().getValue(ERROR_CODE);
    }

    private static List<Throwable> chain(Throwable failure) {
        List<Throwable> chain = new ArrayList<>();
        for (Throwable t = failure; t != null && !chain.contains(t) && chain.size() < 32; t = t.getCause()) {
            chain.add(t);
            for (Throwable suppressed : t.getSuppressed()) {
                if (suppressed instanceof ClientSideEncryptionException) {
                    chain.add(suppressed);
                }
            }
        }
        return chain;
    }
}
