package dev.cse4j.spark;

import com.azure.json.JsonProviders;
import com.azure.json.JsonWriter;
import dev.cse4j.blob.BlobEncryptionInfo;
import dev.cse4j.blob.BlobRef;
import dev.cse4j.fleet.EncryptionState;
import dev.cse4j.fleet.FailureClass;
import dev.cse4j.fleet.FleetResult;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.sql.Timestamp;
import java.time.Instant;
import java.util.Locale;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;
import org.apache.spark.sql.types.DataTypes;
import org.apache.spark.sql.types.StructType;

/**
 * The report's rows: one per object, the {@code cse4j} command's {@code --json} fields plus where and when the
 * object was processed. Each row also holds its JSON line ({@link #LINE}): the library's own rendering of the CLI
 * line ({@link FleetResult#toJson()}, {@link BlobRef#toListingJson()}) with {@code container} (a blob's) or
 * {@code table} (an entity's), {@code failureClass} (failures only), {@code executor}, {@code host}, {@code startedAt} and {@code millis}
 * appended, which is what a JSON lines report holds.
 */
final class ReportRows {
    /** The column holding each row's JSON line. */
    static final String LINE = "line";

    private static final StructType STATE = new StructType()
        .add("protocol", DataTypes.StringType)
        .add("keyId", DataTypes.StringType);

    /** Rows of rewrap, migrate and verify: a blob's have a container and a name, an entity's a table and keys. */
    static final StructType FLEET = new StructType()
        .add("container", DataTypes.StringType)
        .add("table", DataTypes.StringType)
        .add("name", DataTypes.StringType)
        .add("partitionKey", DataTypes.StringType)
        .add("rowKey", DataTypes.StringType)
        .add("result", DataTypes.StringType, false)
        .add("from", STATE, false)
        .add("to", STATE)
        .add("reason", DataTypes.StringType)
        .add("failureClass", DataTypes.StringType)
        .add("executor", DataTypes.StringType, false)
        .add("host", DataTypes.StringType, false)
        .add("startedAt", DataTypes.TimestampType, false)
        .add("millis", DataTypes.LongType, false)
        .add(LINE, DataTypes.StringType, false);

    /** Rows of the inventory: the fields of {@code cse4j blob list --json}. */
    static final StructType INVENTORY = new StructType()
        .add("container", DataTypes.StringType, false)
        .add("name", DataTypes.StringType, false)
        .add("encrypted", DataTypes.BooleanType, false)
        .add("protocol", DataTypes.StringType)
        .add("keyId", DataTypes.StringType)
        .add("size", DataTypes.LongType)
        .add("error", DataTypes.StringType)
        .add("executor", DataTypes.StringType, false)
        .add("host", DataTypes.StringType, false)
        .add("startedAt", DataTypes.TimestampType, false)
        .add("millis", DataTypes.LongType, false)
        .add(LINE, DataTypes.StringType, false);

    private ReportRows() {
    }

    /** @return the schema of {@code action}'s report */
    static StructType schema(JobAction action) {
        return action == JobAction.INVENTORY ? INVENTORY : FLEET;
    }

    /** The row of one fleet result, processed from {@code startedAt} for {@code millis}. */
    static Row fleet(FleetResult result, Instant startedAt, long millis) {
        String failureClass = result.failureClass() == null ? null : spell(result.failureClass());
        boolean entity = result.object().isEntity();
        String target = result.object().target();
        return RowFactory.create(entity ? null : target, entity ? target : null, result.object().name(),
            result.object().partitionKey(), result.object().rowKey(), result.result().wireValue(),
            state(result.from()), state(result.to()), result.reason(), failureClass, ExecutorState.executorId(),
            ExecutorState.host(), Timestamp.from(startedAt), millis,
            withExtras(result.toJson(), entity ? "table" : "container", target, failureClass, startedAt, millis));
    }

    /** The inventory row of one listed blob. */
    static Row inventory(String container, BlobRef ref, Instant listedAt) {
        BlobEncryptionInfo info = ref.getEncryptionInfo();
        return RowFactory.create(container, ref.getName(), info.isEncrypted(),
            info.getProtocol() == null ? null : info.getProtocol().wireValue(),
            info.getProtocol() == null ? null : info.getKeyId(), info.getPlaintextLength(), info.getError(),
            ExecutorState.executorId(), ExecutorState.host(), Timestamp.from(listedAt), 0L,
            withExtras(ref.toListingJson(), "container", container, null, listedAt, 0));
    }

    /** @return {@code integrity}, {@code key_not_found}, {@code policy} or {@code other} */
    static String spell(FailureClass failureClass) {
        return failureClass.name().toLowerCase(Locale.ROOT);
    }

    /** @throws IllegalArgumentException for another spelling */
    static FailureClass failureClass(String spelled) {
        return FailureClass.valueOf(spelled.toUpperCase(Locale.ROOT));
    }

    private static Row state(EncryptionState state) {
        return state == null ? null : RowFactory.create(state.protocol(), state.keyId());
    }

    /** The CLI's line with the report's own fields appended to its object. */
    private static String withExtras(String cliLine, String targetField, String target, String failureClass,
        Instant startedAt, long millis) {
        StringWriter out = new StringWriter();
        try (JsonWriter json = JsonProviders.createWriter(out)) {
            json.writeStartObject();
            json.writeStringField(targetField, target);
            if (failureClass != null) {
                json.writeStringField("failureClass", failureClass);
            }
            json.writeStringField("executor", ExecutorState.executorId());
            json.writeStringField("host", ExecutorState.host());
            json.writeStringField("startedAt", startedAt.toString());
            json.writeLongField("millis", millis);
            json.writeEndObject();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        String extras = out.toString();
        return cliLine.substring(0, cliLine.length() - 1) + "," + extras.substring(1);
    }
}
