/**
 * Test-only helpers shared by every cse4j module: {@link dev.cse4j.testing.AzuriteExtension} (one Azurite per test
 * JVM, injected as a {@link dev.cse4j.testing.Azurite} parameter), {@link dev.cse4j.testing.Vectors} (the
 * known-answer vectors written by Microsoft's SDKs) and {@link dev.cse4j.testing.TestData}.
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
