/**
 * cse4j queue: client-side encrypted Azure Storage queue messages ({@link dev.cse4j.queue.EncryptedQueueClient}),
 * wrapping azure-storage-queue's {@code QueueClient}, whose types it takes and returns, so that module (with
 * azure-storage-common and azure-core) is read transitively, as is {@code dev.cse4j.core}.
 */
module dev.cse4j.queue {
    requires transitive dev.cse4j.core;
    requires transitive com.azure.storage.queue;

    exports dev.cse4j.queue;
}
