/**
 * Client-side encrypted Azure Storage queue messages: {@link dev.cse4j.queue.EncryptedQueueClientBuilder} builds an
 * {@link dev.cse4j.queue.EncryptedQueueClient} that encrypts every message it sends (protocol 2.0, readable by
 * Microsoft's .NET and Python queue encryption) and decrypts what it receives or peeks (2.0 from any SDK; legacy 1.0
 * on explicit opt-in). See {@link dev.cse4j.queue.EncryptedQueueClient} for the wire form, the message encodings
 * and the size limit.
 */
package dev.cse4j.queue;
