/**
 * cse4j blob: client-side encrypted Azure Storage blobs. {@link dev.cse4j.blob.EncryptedBlobServiceClient},
 * {@link dev.cse4j.blob.EncryptedBlobContainerClient} and {@link dev.cse4j.blob.EncryptedBlobClient}, and their
 * asynchronous twins ({@link dev.cse4j.blob.EncryptedBlobAsyncClient} and its container and service clients), wrap
 * azure-storage-blob's clients, whose types they take and return, so that module (with azure-storage-common,
 * azure-core and, through it, Project Reactor) is read transitively, as is {@code dev.cse4j.core}.
 */
module dev.cse4j.blob {
    requires transitive dev.cse4j.core;
    requires transitive com.azure.storage.blob;

    exports dev.cse4j.blob;
}
