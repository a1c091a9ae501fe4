package dev.cse4j.queue;

import com.azure.core.http.rest.Response;
import com.azure.core.http.rest.SimpleResponse;
import com.azure.storage.queue.models.QueueStorageException;
import dev.cse4j.core.ClientSideEncryptionException;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import dev.cse4j.core.KeyWrapException;
import dev.cse4j.core.MalformedEncryptionDataException;

/**
 * Failures as both clients report them: a failure raised while decrypting a message, named after the message, and
 * the service's 404 as the answer "does not exist".
 */
final class QueueErrors {
    private QueueErrors() {
    }

    /**
     * The same kind of exception with a message that starts with {@code what}, so a caller receiving a batch knows
     * which message failed (and can, e.g., delete a poison message). The original is the cause.
     */
    static ClientSideEncryptionException withContext(ClientSideEncryptionException e, String what) {
        String message = e.getMessage();
        if (message != null && message.startsWith(what)) {
            return e;
        }
        String text = what + ": " + message;
        if (e instanceof IntegrityException) {
            return new IntegrityException(text, e);
        }
        if (e instanceof MalformedEncryptionDataException) {
            return new MalformedEncryptionDataException(text, e);
        }
        if (e instanceof KeyResolutionException k) {
            return new KeyResolutionException(k.getReason(), k.getKeyId(), text, e);
        }
        if (e instanceof KeyWrapException) {
            return new KeyWrapException(text, e);
        }
        if (e instanceof EncryptionPolicyException p) {
            return new EncryptionPolicyException(p.getReason(), text, e);
        }
        return new ClientSideEncryptionException(text, e);
    }

    /** The service's 404 to a get-properties request, as the response "the queue does not exist". */
    static Response<Boolean> absent(QueueStorageException notFound) {
        return new SimpleResponse<>(notFound.getResponse().getRequest(), notFound.getStatusCode(),
            notFound.getResponse().getHeaders(), Boolean.FALSE);
    }
}
