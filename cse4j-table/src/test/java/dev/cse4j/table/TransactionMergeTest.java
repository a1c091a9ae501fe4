package dev.cse4j.table;

import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.ParameterizedTest;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableErrorCode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import com.azure.data.tables.models.TableTransactionFailedException;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;

import java.util.List;

import static com.azure.data.tables.models.TableTransactionActionType.CREATE;
import static com.azure.data.tables.models.TableTransactionActionType.DELETE;
import static com.azure.data.tables.models.TableTransactionActionType.UPDATE_MERGE;
import static com.azure.data.tables.models.TableTransactionActionType.UPSERT_MERGE;
import static com.azure.data.tables.models.TableTransactionActionType.UPSERT_REPLACE;
import static dev.cse4j.table.EncryptedTableClientTest.userProperties;
import static dev.cse4j.core.TableEncryptionFormat.AUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.entry;

/** UPSERT_MERGE and UPDATE_MERGE in transactions: merged as single merges are, the transaction still atomic. */
@ExtendWith(AzuriteExtension.class)
class TransactionMergeTest {
    private static final EncryptionResolver SECRETS = (pk, rk, name) -> name.startsWith("Secret");

    private TableClient plain;

    @BeforeEach
    void createTable(Azurite azurite) {
        plain = Tables.createTable(azurite, "txmerge");
        EncryptedTableClient writer = Tables.encrypted(plain, AUTHENTICATED, SECRETS);
        writer.createEntity(new TableEntity("p", "a").addProperty("SecretA", "alpha").addProperty("Plain", "a"));
        writer.createEntity(new TableEntity("p", "b").addProperty("SecretB", "beta").addProperty("Plain", "b"));
        writer.createEntity(new TableEntity("p", "gone").addProperty("SecretG", "gamma"));
    }

    private static TableTransactionAction action(TableTransactionActionType type, TableEntity entity) {
        return new TableTransactionAction(type, entity);
    }

    private byte[] stored(String rowKey, String name) {
        return (byte[]) plain.getEntity("p", rowKey).getProperty(name);
    }

    private String wrappedKey(String rowKey) {
        return java.util.Base64.getEncoder().encodeToString(EncryptionData.parse((String) plain.getEntity("p", rowKey)
            .getProperty(EntityNames.METADATA)).wrappedContentKey().encryptedKey());
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void plainMerges_inATransaction_leaveTheEncryptedValuesAsStored_andApplyWithTheOtherActions(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        byte[] secretA = stored("a", "SecretA");
        byte[] listB = stored("b", EntityNames.NAME_LIST);

        table.submitTransaction(List.of(
            action(UPDATE_MERGE, new TableEntity("p", "a").addProperty("Plain", "a2").addProperty("Count", 1)),
            action(UPSERT_MERGE, new TableEntity("p", "b").addProperty("Plain", "b2")),
            action(CREATE, new TableEntity("p", "c").addProperty("SecretC", "c")),
            action(DELETE, new TableEntity("p", "gone"))));

        assertThat(stored("a", "SecretA")).containsExactly(secretA);
        assertThat(stored("b", EntityNames.NAME_LIST)).containsExactly(listB);
        assertThat(userProperties(table.getEntity("p", "a"))).containsOnly(entry("SecretA", "alpha"),
            entry("Plain", "a2"), entry("Count", 1));
        assertThat(userProperties(table.getEntity("p", "b"))).containsOnly(entry("SecretB", "beta"),
            entry("Plain", "b2"));
        assertThat(table.getEntity("p", "c").getProperty("SecretC")).isEqualTo("c");
        assertThat(table.listEntities()).extracting(TableEntity::getRowKey).containsExactly("a", "b", "c");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void encryptedMerges_inATransaction_reencryptEachEntity_keepingTheirOtherProperties(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        String keyA = wrappedKey("a");

        table.submitTransaction(List.of(
            action(UPDATE_MERGE, new TableEntity("p", "a").addProperty("SecretA", "alpha 2")
                .addProperty("SecretX", "x")),
            action(UPSERT_MERGE, new TableEntity("p", "b").addProperty("SecretB2", EncryptedString.of("beta 2"))),
            action(UPSERT_REPLACE, new TableEntity("p", "gone").addProperty("Plain", "replaced"))));

        assertThat(wrappedKey("a")).isNotEqualTo(keyA);
        assertThat(stored("a", "SecretX")).isNotNull();
        assertThat(userProperties(table.getEntity("p", "a"))).containsOnly(entry("SecretA", "alpha 2"),
            entry("SecretX", "x"), entry("Plain", "a"));
        assertThat(userProperties(table.getEntity("p", "b"))).containsOnly(entry("SecretB", "beta"),
            entry("SecretB2", "beta 2"), entry("Plain", "b"));
        assertThat(userProperties(table.getEntity("p", "gone"))).containsOnly(entry("Plain", "replaced"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void upsertMerge_ofAMissingEntity_inATransaction_createsIt(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        table.submitTransaction(List.of(
            action(UPSERT_MERGE, new TableEntity("p", "new").addProperty("SecretN", "n").addProperty("Plain", "n")),
            action(UPSERT_MERGE, new TableEntity("p", "newplain").addProperty("Plain", "m"))));

        assertThat(stored("new", "SecretN")).isNotNull();
        assertThat(userProperties(table.getEntity("p", "new"))).containsOnly(entry("SecretN", "n"),
            entry("Plain", "n"));
        assertThat(userProperties(table.getEntity("p", "newplain"))).containsOnly(entry("Plain", "m"));
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void updateMerge_ofAMissingEntity_failsTheTransactionAtItsIndex_andAppliesNothing(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        assertThatThrownBy(() -> table.submitTransaction(List.of(
            action(CREATE, new TableEntity("p", "c").addProperty("SecretC", "c")),
            action(UPDATE_MERGE, new TableEntity("p", "missing").addProperty("Plain", "x")))))
            .isInstanceOfSatisfying(TableTransactionFailedException.class, e -> {
                assertThat(e.getFailedTransactionActionIndex()).isEqualTo(1);
                assertThat(e.getValue().getErrorCode()).isEqualTo(TableErrorCode.RESOURCE_NOT_FOUND);
            });

        assertThat(table.listEntities()).extracting(TableEntity::getRowKey).containsExactly("a", "b", "gone");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void updateMergeIfUnchanged_withAStaleETag_failsTheTransaction_isNotRetried_andAppliesNothing(Api api) {
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, SECRETS);
        TableEntity stale = table.getEntity("p", "a");
        table.updateEntity(new TableEntity("p", "a").addProperty("Plain", "changed"));
        stale.addProperty("SecretA", "mine");

        assertThatThrownBy(() -> table.submitTransaction(List.of(
            action(UPSERT_MERGE, new TableEntity("p", "b").addProperty("SecretB", "mine")),
            new TableTransactionAction(UPDATE_MERGE, stale, true))))
            .isInstanceOfSatisfying(TableTransactionFailedException.class, e -> {
                assertThat(e.getFailedTransactionActionIndex()).isEqualTo(1);
                assertThat(e.getValue().getErrorCode()).isEqualTo(TableErrorCode.UPDATE_CONDITION_NOT_SATISFIED);
            });

        assertThat(userProperties(table.getEntity("p", "a"))).containsOnly(entry("SecretA", "alpha"),
            entry("Plain", "changed"));
        assertThat(table.getEntity("p", "b").getProperty("SecretB")).isEqualTo("beta");
    }
}
