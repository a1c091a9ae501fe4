package dev.cse4j.cli;

import com.azure.storage.blob.BlobContainerClient;
import dev.cse4j.blob.BlobFleetOperation;
import dev.cse4j.blob.BlobListing;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.core.implementation.TerminalText;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetAction;
import dev.cse4j.fleet.FleetObject;
import dev.cse4j.fleet.FleetOptions;
import dev.cse4j.fleet.FleetOutcome;
import dev.cse4j.fleet.FleetResult;
import dev.cse4j.fleet.FleetSummary;
import dev.cse4j.table.TableFleetOperation;
import dev.cse4j.table.TableListing;

import java.io.PrintStream;
import java.util.Iterator;
import java.util.Locale;

/**
 * Runs {@code cse4j blob rewrap|migrate|verify} and {@code cse4j table rewrap|migrate}: lists the selected blobs or
 * entities with their metadata and applies the library's {@link BlobFleetOperation} or {@link TableFleetOperation}
 * to them through its bounded worker loop, printing each result as soon as its object is done. With {@code --json}
 * one {@link FleetResult#toJson()} line per object on stdout and nothing else;
 * without, a line per object (strings from the service escaped), a status line on stderr when it is a terminal, and
 * a summary. The exit code is that of the most serious failure class among the results (0 if none failed); a
 * failure of the whole run (no such container or table, no permission, the service unreachable) ends it with its
 * own.
 */
final class FleetRun {
    private final CliContext context;
    private final boolean json;
    private final PrintStream out;
    private final FleetProgress progress;
    private final FleetSummary summary = new FleetSummary();
    private long v1Refused;

    private FleetRun(CliContext context, boolean json) {
        this.context = context;
        this.json = json;
        this.out = context.out();
        this.progress = new FleetProgress(context.err(), !json && context.stderrTerminal());
    }

    /** Runs {@code options} with {@code keys} on the blobs {@code target} selects; returns the exit code. */
    static int run(CliContext context, FleetTargetOptions target, ConnectionOptions connection, FleetOptions options,
        ClientSideEncryptionOptions keys, boolean json) {
        BlobStorage storage = new BlobStorage(context.connectionString(connection.connectionString),
            target.container, target.name());
        BlobContainerClient container = storage.container();
        BlobFleetOperation operation = BlobFleetOperation.create(container, options, keys);
        FleetRun run = new FleetRun(context, json);
        try (FleetProgress progress = run.progress) {
            Iterator<BlobRef> blobs = target.name() != null ? BlobListing.named(container, target.name())
                : BlobListing.list(container, target.prefix());
            if (target.name() != null && !blobs.hasNext()) {
                throw new CliFailure(ExitCode.OTHER, "Blob '" + storage.describe() + "' does "
                    + "not exist. Check --container and --name (and the connection string's account).");
            }
            operation.applyAll(blobs, options.concurrency(), run::print);
        } catch (RuntimeException e) {
            throw storage.notFound(e);
        }
        run.finish(options.action(), "blob", "blobs");
        return run.summary.exitCode();
    }

    /**
     * Runs {@code options} with {@code keys} on the entities of {@code table} that {@code filter} selects
     * ({@code null}: all); returns the exit code.
     */
    static int runTable(CliContext context, String table, String filter, ConnectionOptions connection,
        FleetOptions options, ClientSideEncryptionOptions keys, boolean json) {
        TableStorage storage = new TableStorage(context.connectionString(connection.connectionString), table);
        TableFleetOperation operation = TableFleetOperation.create(storage.plain(), options, keys);
        FleetRun run = new FleetRun(context, json);
        try (FleetProgress progress = run.progress) {
            operation.applyAll(TableListing.list(storage.plain(), filter), options.concurrency(), run::print);
        } catch (RuntimeException e) {
            throw storage.notFound(e);
        }
        run.finish(options.action(), "entity", "entities");
        return run.summary.exitCode();
    }

    private void print(FleetResult result) {
        summary.add(result);
        if (json) {
            out.println(TerminalText.json(result.toJson()));
            return;
        }
        if (result.result() == FleetOutcome.FAILED && result.failureClass() == FailureClass.POLICY
            && "1.0".equals(result.from().protocol())) {
            v1Refused++;
        }
        progress.clear();
        out.println(line(result));
        progress.update(summary);
    }

    /**
     * {@code rewrapped   a/b.pdf: 2.0 key 'old' -> 2.0 key 'new'}, {@code skipped     c.txt (not encrypted)}; an
     * entity as {@code (PartitionKey, RowKey)}.
     */
    static String line(FleetResult result) {
        FleetObject object = result.object();
        StringBuilder line = new StringBuilder(String.format(Locale.ROOT, "%-13s ", result.result().wireValue()))
            .append(object.isEntity() ? "(" + TerminalText.escape(object.partitionKey()) + ", "
                + TerminalText.escape(object.rowKey()) + ")" : TerminalText.escape(object.name()));
        if (!result.from().isNone() || result.to() != null) {
            line.append(": ").append(state(result.from()));
            if (result.to() != null) {
                line.append(" -> ").append(state(result.to()));
            }
        }
        if (result.reason() != null) {
            line.append(" (").append(TerminalText.oneLine(result.reason())).append(')');
        }
        return line.toString();
    }

    private static String state(EncryptionState state) {
        return state.isNone() ? "not encrypted" : (state.protocol() == null ? "?" : state.protocol()) + " key '"
            + TerminalText.escape(state.keyId()) + "'";
    }

    private void finish(FleetAction action, String one, String many) {
        if (json) {
            return;
        }
        out.println(summary.describe(one, many));
        if (action == FleetAction.VERIFY && v1Refused > 0) {
            out.println(v1Refused + (v1Refused == 1 ? " blob uses" : " blobs use") + " legacy protocol 1.0 "
                + "(AES-CBC, unauthenticated): pass --allow-v1 to check that such blobs decrypt (nothing can "
                + "authenticate them), and re-encrypt them as 2.0 with 'cse4j blob migrate'.");
        }
    }
}
