package dev.cse4j.core;

/**
 * The encryption metadata stored with an object ({@code encryptiondata} on a blob, {@code EncryptionData} in a queue
 * message, {@code _ClientEncryptionMetadata1} on an entity) is not valid JSON, lacks a required member, has a member
 * of the wrong type, or names a protocol, algorithm or region layout that this version of cse4j does not support.
 *
 * <p>Nothing was decrypted. The metadata was either written by an incompatible tool or modified.
 */
public class MalformedEncryptionDataException extends ClientSideEncryptionException {
    private static final long serialVersionUID = 1L;

    public MalformedEncryptionDataException(String message) {
        super(message);
    }

    public MalformedEncryptionDataException(String message, Throwable cause) {
        super(message, cause);
    }
}
