/**
 * Fleet operations: the framework shared by every service's operations over many objects (rotate the key
 * encryption key, migrate old formats, verify, inventory) and by everything that runs them (the {@code cse4j}
 * command, the Spark job).
 *
 * <ul>
 *   <li>{@link dev.cse4j.fleet.FleetOptions}: what to do ({@link dev.cse4j.fleet.FleetAction}), dry run,
 *       concurrency; plain values;</li>
 *   <li>{@link dev.cse4j.fleet.FleetOperation}: one object at a time ({@code apply}), thread-safe, or a bounded
 *       number at once over an iterator ({@code applyAll}), each result handed to a callback as it is done;</li>
 *   <li>{@link dev.cse4j.fleet.FleetResult}: what was done with one object, its report line
 *       ({@link dev.cse4j.fleet.FleetResult#toJson()}), and for failures the
 *       {@link dev.cse4j.fleet.FailureClass} that decides the exit code; {@link dev.cse4j.fleet.FleetSummary}
 *       counts them;</li>
 *   <li>{@link dev.cse4j.fleet.FleetInventory}: protocols and key ids in use, from listings alone.</li>
 * </ul>
 *
 * <p>The service modules implement the operations: {@code dev.cse4j.blob.BlobFleetOperation} for blobs.
 */
package dev.cse4j.fleet;
