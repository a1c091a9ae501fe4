/**
 * cse4j core: what every service shares. The encryption metadata model ({@link dev.cse4j.core.EncryptionData}), the
 * options every encrypting client takes ({@link dev.cse4j.core.ClientSideEncryptionOptions}), the typed exceptions
 * ({@link dev.cse4j.core.ClientSideEncryptionException} and its subclasses), local key encryption keys
 * ({@code dev.cse4j.keys}), and what every service's fleet operations over many objects share
 * ({@code dev.cse4j.fleet}). The stored forms are specified in the repository's {@code docs/formats.md}.
 *
 * <p>Key encryption keys and resolvers are the Azure SDK's {@code com.azure.core.cryptography} interfaces, and the
 * metadata is an azure-json {@code JsonSerializable}, so both modules are read transitively. The package
 * {@code dev.cse4j.core.implementation} is exported only to the cse4j service modules: it is not API.
 */
module dev.cse4j.core {
    requires transitive com.azure.core;
    requires transitive com.azure.json;
    // asks whether this JVM has HotSpot's optimizing JIT compiler, which SunJCE's AES-GCM needs to be fast
    // (OptimizingJit); where jdk.management is missing, cse4j assumes it has
    requires java.management;
    requires static jdk.management;

    exports dev.cse4j.core;
    exports dev.cse4j.keys;
    exports dev.cse4j.fleet;

    exports dev.cse4j.core.implementation to dev.cse4j.blob, dev.cse4j.queue, dev.cse4j.table;
}
