package dev.cse4j.fleet;

import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.Objects;

/**
 * What a fleet operation did with one object: the object, the {@link FleetOutcome result}, the state it was found
 * in ({@code from}), the state it was or would be given ({@code to}, only where something was or would be written),
 * a reason (why it was skipped or failed, or a caveat; {@code null} when there is none) and, for a failure, its
 * {@link FailureClass}. Immutable and thread-safe.
 *
 * <p>{@link #toJson()} is the {@code cse4j} command's {@code --json} line for it, one compact JSON object:
 * <pre>{@code
 * {"name":"a/b.pdf","result":"rewrapped","from":{"protocol":"2.0","keyId":"old"},"to":{"protocol":"2.0","keyId":"new"},"reason":null}
 * {"name":"c.txt","result":"skipped","from":{"protocol":null,"keyId":null},"reason":"not encrypted"}
 * {"partitionKey":"p","rowKey":"r","result":"failed","from":{"protocol":"1.0","keyId":"k"},"reason":"..."}
 * }</pre>
 * Members in this order: {@code name} (blobs) or {@code partitionKey} and {@code rowKey} (entities), {@code result},
 * {@code from} (always; its members are {@code null} for an unencrypted object or unreadable metadata), {@code to}
 * (only when the result {@link FleetOutcome#writes() writes}), {@code reason} (always; {@code null} when there is
 * none, never for {@code skipped} and {@code failed}). So every member but {@code to} is in every line.
 * The container or table is not in the line (it is the run's).
 *
 * <p>A reason is one line of at most {@value #MAX_REASON} characters (longer ones keep their start, then
 * {@code …}); it may hold names, key ids and messages from the service: escape it before printing it to a
 * terminal. It never holds key material.
 */
public final class FleetResult {
    /** The longest reason kept, in characters. */
    public static final int MAX_REASON = 1000;

    private final FleetObject object;
    private final FleetOutcome result;
    private final EncryptionState from;
    private final EncryptionState to;
    private final String reason;
    private final FailureClass failureClass;

    private FleetResult(FleetObject object, FleetOutcome result, EncryptionState from, EncryptionState to,
        String reason, FailureClass failureClass) {
        this.object = Objects.requireNonNull(object, "object");
        this.result = Objects.requireNonNull(result, "result");
        this.from = from == null ? EncryptionState.NONE : from;
        this.to = to;
        this.reason = reason == null || reason.isBlank() ? null : oneLine(reason);
        this.failureClass = failureClass;
        if (result.writes() != (to != null)) {
            throw new IllegalArgumentException("A '" + result + "' result " + (result.writes() ? "needs" : "has no")
                + " 'to' state");
        }
        if ((result == FleetOutcome.FAILED) != (failureClass != null)) {
            throw new IllegalArgumentException("A failure class goes with a 'failed' result only");
        }
        if ((result == FleetOutcome.FAILED || result == FleetOutcome.SKIPPED) && this.reason == null) {
            throw new IllegalArgumentException("A '" + result + "' result needs a reason");
        }
    }

    /**
     * A result that wrote (or, in a dry run, would write) the object: {@link FleetOutcome#REWRAPPED},
     * {@link FleetOutcome#MIGRATED}, {@link FleetOutcome#WOULD_REWRAP} or {@link FleetOutcome#WOULD_MIGRATE}.
     */
    public static FleetResult wrote(FleetObject object, FleetOutcome result, EncryptionState from,
        EncryptionState to) {
        return new FleetResult(object, result, from, Objects.requireNonNull(to, "to"), null, null);
    }

    /** A {@link FleetOutcome#VERIFIED} result, with a caveat or {@code null}. */
    public static FleetResult verified(FleetObject object, EncryptionState from, String caveat) {
        return new FleetResult(object, FleetOutcome.VERIFIED, from, null, caveat, null);
    }

    /** A {@link FleetOutcome#SKIPPED} result. */
    public static FleetResult skipped(FleetObject object, EncryptionState from, String reason) {
        return new FleetResult(object, FleetOutcome.SKIPPED, from, null, Objects.requireNonNull(reason, "reason"),
            null);
    }

    /** A {@link FleetOutcome#FAILED} result. */
    public static FleetResult failed(FleetObject object, EncryptionState from, FailureClass failureClass,
        String reason) {
        return new FleetResult(object, FleetOutcome.FAILED, from, null, Objects.requireNonNull(reason, "reason"),
            Objects.requireNonNull(failureClass, "failureClass"));
    }

    /** A {@link FleetOutcome#FAILED} result for {@code failure}: its class ({@link FailureClass#of}) and message. */
    public static FleetResult failed(FleetObject object, EncryptionState from, Throwable failure) {
        return failed(object, from, FailureClass.of(failure), describe(failure));
    }

    /** The object. */
    public FleetObject object() {
        return object;
    }

    /** What was done. */
    public FleetOutcome result() {
        return result;
    }

    /** The state the object was found in ({@link EncryptionState#NONE} if unencrypted or unreadable). */
    public EncryptionState from() {
        return from;
    }

    /** The state the object was or would be given, or {@code null} if nothing was or would be written. */
    public EncryptionState to() {
        return to;
    }

    /** Why it was skipped or failed, or a caveat; {@code null} when there is none. */
    public String reason() {
        return reason;
    }

    /** The class of a failure; {@code null} unless the result is {@link FleetOutcome#FAILED}. */
    public FailureClass failureClass() {
        return failureClass;
    }

    /** The {@code --json} report line (without a line end); see the class description. */
    public String toJson() {
        StringWriter out = new StringWriter();
        try (JsonWriter json = JsonProviders.createWriter(out)) {
            json.writeStartObject();
            if (object.isEntity()) {
                json.writeStringField("partitionKey", object.partitionKey());
                json.writeStringField("rowKey", object.rowKey());
            } else {
                json.writeStringField("name", object.name());
            }
            json.writeStringField("result", result.wireValue());
            writeState(json, "from", from);
            if (to != null) {
                writeState(json, "to", to);
            }
            writeNullable(json, "reason", reason);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toString();
    }

    private static void writeState(JsonWriter json, String name, EncryptionState state) throws IOException {
        json.writeStartObject(name);
        writeNullable(json, "protocol", state.protocol());
        writeNullable(json, "keyId", state.keyId());
        json.writeEndObject();
    }

    private static void writeNullable(JsonWriter json, String name, String value) throws IOException {
        if (value == null) {
            json.writeNullField(name);
        } else {
            json.writeStringField(name, value);
        }
    }

    /** A failure's message, or its type when it has none, for a reason. */
    static String describe(Throwable failure) {
        String message = failure.getMessage();
        return message == null || message.isBlank() ? failure.getClass().getSimpleName() : message;
    }

    /** Whitespace runs (line ends included) as one space, trimmed, at most {@link #MAX_REASON} characters. */
    static String oneLine(String text) {
        String line = text.strip().replaceAll("\\s+", " ");
        if (line.length() <= MAX_REASON) {
            return line;
        }
        int end = MAX_REASON - 1;
        return line.substring(0, Character.isHighSurrogate(line.charAt(end - 1)) ? end - 1 : end) + "…";
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof FleetResult other && object.equals(other.object) && result == other.result
            && from.equals(other.from) && Objects.equals(to, other.to) && Objects.equals(reason, other.reason)
            && failureClass == other.failureClass;
    }

    @Override
    public int hashCode() {
        return Objects.hash(object, result, from, to, reason, failureClass);
    }

    /** The object and the report line. */
    @Override
    public String toString() {
        return "FleetResult[" + object.target() + ": " + toJson() + "]";
    }
}
