/**
 * Test-only helpers shared by every cse4j module: {@link dev.cse4j.testing.AzuriteExtension} (one Azurite per test
 * JVM, injected as a {@link dev.cse4j.testing.Azurite} parameter), {@link dev.cse4j.testing.Vectors} (the
 * known-answer vectors written by Microsoft's SDKs), {@link dev.cse4j.testing.TestData},
 * {@link dev.cse4j.testing.ChildJvm} (a class's {@code main} in a JVM of its own, for what only a fresh JVM shows:
 * another JIT, a small heap), and for keys:
 * <ul>
 *   <li>{@link dev.cse4j.testing.KeyVaultServer} (with {@link dev.cse4j.testing.KeyVaultExtension}): a loopback
 *       stand-in for Azure Key Vault's keys REST API (HTTPS, bearer challenge, get key, wrapkey, unwrapkey, versions,
 *       call counts, throttling), so Microsoft's real {@code azure-security-keyvault-keys} client runs in tests;
 *       {@link dev.cse4j.testing.KeyVaultClients} sets that client up for it;</li>
 *   <li>{@link dev.cse4j.testing.CountingKeys}: counts wrap, unwrap and resolve calls of any key encryption key or
 *       key resolver, sync or async.</li>
 * </ul>
 * The key helpers other than the server need {@code azure-core}, {@code azure-security-keyvault-keys} and
 * {@code azure-core-http-jdk-httpclient}: optional dependencies of this module, declared in test scope by the modules
 * that use them.
 *
 * <p>For faults, {@link dev.cse4j.testing.FaultProxy}: a loopback TCP proxy that injects network faults between a
 * client and Azurite, scripted with {@link dev.cse4j.testing.FaultRule}s; {@link dev.cse4j.testing.ServiceCrash}:
 * Azurite killed and started again (on disk, {@link dev.cse4j.testing.AzuriteOptions#withPersistenceDirectory}) in
 * the middle of an operation; {@link dev.cse4j.testing.FaultMatrix}: the outcomes counted for
 * {@code docs/fault-matrix.md}.
 *
 * <p>Azurite comes from the repository root's {@code package-lock.json} (found by walking up from the working
 * directory) and is installed there with {@code npm ci} on first use. System properties:
 * <ul>
 *   <li>{@code cse4j.repo.root}: the repository root, when tests run outside the checkout;</li>
 *   <li>{@code cse4j.node}, {@code cse4j.npm}: the executables, when they are not {@code node} and {@code npm} on
 *       the PATH.</li>
 * </ul>
 * Logs go to {@code target/azurite/} under the working directory.
 */
package dev.cse4j.testing;
