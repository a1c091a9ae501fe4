package dev.cse4j.table;

import com.azure.data.tables.TableClient;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.models.TableEntityUpdateMode;
import com.azure.data.tables.models.TableTransactionAction;
import com.azure.data.tables.models.TableTransactionActionType;
import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.time.OffsetDateTime;
import java.util.List;
import java.util.UUID;

import static dev.cse4j.core.TableEncryptionFormat.AUTHENTICATED;
import static dev.cse4j.core.TableEncryptionFormat.LEGACY_V1_UNAUTHENTICATED;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** What may be chosen for encryption, and the refusals (each before anything is written). */
@ExtendWith(AzuriteExtension.class)
class EncryptionChoiceTest {
    private TableClient plain;

    @BeforeEach
    void createTable(Azurite azurite) {
        plain = Tables.createTable(azurite, "choice");
    }

    private EncryptedTableClient encryptingEverythingNamed(String name) {
        return Tables.encrypted(plain, AUTHENTICATED, (pk, rk, property) -> property.equals(name));
    }

    private void assertRefused(EncryptedTableClient table, TableEntity entity, String... messageParts) {
        assertThatThrownBy(() -> table.createEntity(entity)).isInstanceOf(EncryptionPolicyException.class)
            .hasMessageContaining("Nothing was written").hasMessageContainingAll(messageParts);
        assertThatThrownBy(() -> table.upsertEntityWithResponse(entity, TableEntityUpdateMode.REPLACE, null, null))
            .isInstanceOf(EncryptionPolicyException.class);
        if (!entity.getProperties().containsValue(null)) { // a merge leaves a null property as it is stored
            assertThatThrownBy(() -> table.upsertEntity(entity)).isInstanceOf(EncryptionPolicyException.class)
                .hasMessageContainingAll(messageParts);
        }
        assertThatThrownBy(() -> table.submitTransaction(List.of(new TableTransactionAction(
            TableTransactionActionType.CREATE, entity)))).isInstanceOf(EncryptionPolicyException.class);
        assertThat(plain.listEntities()).isEmpty();
    }

    @Test
    void resolverSelectingANumber_isRefused() {
        assertRefused(encryptingEverythingNamed("Age"), new TableEntity("p", "r").addProperty("Age", 42),
            "'Age'", "Integer", "only string properties");
    }

    @Test
    void resolverSelectingBinaryDatesGuidsAndBooleans_isRefused() {
        assertRefused(encryptingEverythingNamed("B"), new TableEntity("p", "r").addProperty("B", new byte[] {1}),
            "'B'");
        assertRefused(encryptingEverythingNamed("D"), new TableEntity("p", "r").addProperty("D", OffsetDateTime.now()),
            "'D'");
        assertRefused(encryptingEverythingNamed("G"), new TableEntity("p", "r").addProperty("G", UUID.randomUUID()),
            "'G'");
        assertRefused(encryptingEverythingNamed("F"), new TableEntity("p", "r").addProperty("F", false), "'F'");
    }

    @Test
    void resolverSelectingAStringAnnotatedAsAnotherType_isRefused() {
        TableEntity entity = new TableEntity("p", "r").addProperty("Big", "12345")
            .addProperty("Big@odata.type", "Edm.Int64");

        assertRefused(encryptingEverythingNamed("Big"), entity, "Edm.Int64");
    }

    @Test
    void resolverSelectingANullProperty_isRefused() {
        assertRefused(encryptingEverythingNamed("Gone"), new TableEntity("p", "r").addProperty("Gone", null),
            "'Gone'", "null");
    }

    @Test
    void resolver_isNeverAskedAboutSystemPropertiesOrBookkeeping_soEncryptEverythingWorksOnStrings() {
        java.util.Set<String> asked = new java.util.TreeSet<>();
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, (pk, rk, name) -> {
            asked.add(name);
            return true;
        });
        TableEntity entity = new TableEntity("p", "r").addProperty("A", "a").addProperty("B", "b")
            .addProperty("Timestamp", OffsetDateTime.now()).addProperty("odata.etag", "W/\"x\"")
            .addProperty("A@odata.type", "Edm.String");

        table.upsertEntity(entity);

        assertThat(asked).containsExactly("A", "B");
        assertThat(plain.getEntity("p", "r").getProperty("A")).isInstanceOf(byte[].class);
        assertThat(table.getEntity("p", "r").getProperties()).containsEntry("A", "a").containsEntry("B", "b")
            .containsEntry("PartitionKey", "p");
    }

    @ParameterizedTest
    @ValueSource(strings = {"PartitionKey", "RowKey", "Timestamp"})
    void markingASystemPropertyWithEncryptedString_isRefused(String name) {
        TableEntity entity = new TableEntity("p", "r");
        entity.getProperties().put(name, EncryptedString.of("x")); // TableEntity.addProperty would refuse Timestamp

        assertRefused(Tables.encrypted(plain, AUTHENTICATED, EncryptionResolver.NONE), entity, name,
            "never encrypted");
    }

    @ParameterizedTest
    @ValueSource(strings = {"_ClientEncryptionMetadata1", "_ClientEncryptionMetadata2"})
    void userPropertyWithAReservedName_isRefused(String name) {
        assertRefused(Tables.encrypted(plain, AUTHENTICATED, EncryptionResolver.NONE),
            new TableEntity("p", "r").addProperty(name, "mine"), name, "reserved");
    }

    @ParameterizedTest
    @ValueSource(strings = {"Has Space", "Has,Comma", "Has\"Quote", "Back\\slash", "Tab\tName"})
    void legacyFormat_refusesEncryptedNamesTheJava8ReaderCannotParse(String name) {
        EncryptedTableClient legacy = Tables.encrypted(plain, LEGACY_V1_UNAUTHENTICATED, EncryptionResolver.NONE);

        assertRefused(legacy, new TableEntity("p", "r").addProperty(name, EncryptedString.of("s")), "Java 8",
            "authenticated format");
    }

    @Test
    void authenticatedFormat_acceptsNamesWithSpacesAndCommas() {
        // The format takes any name, quotes too, but Azurite mangles a name with a quote in its responses.
        EncryptedTableClient table = Tables.encrypted(plain, AUTHENTICATED, EncryptionResolver.NONE);
        TableEntity entity = new TableEntity("p", "r").addProperty("a,b", EncryptedString.of("1"))
            .addProperty("é ü", EncryptedString.of("3"));

        assertThatNoException().isThrownBy(() -> table.upsertEntity(entity));
        TableEntity read = table.getEntity("p", "r");
        assertThat(read.getProperty("a,b")).isEqualTo("1");
        assertThat(read.getProperty("é ü")).isEqualTo("3");
    }

    @Test
    void valueWithAnUnpairedSurrogate_isRefusedRatherThanStoredAsAQuestionMark() {
        assertRefused(Tables.encrypted(plain, AUTHENTICATED, EncryptionResolver.NONE),
            new TableEntity("p", "r").addProperty("S", EncryptedString.of("a\uD800b")), "unpaired surrogate");
    }

    @Test
    void encryptedString_refusesNull_andNeverShowsItsValue() {
        assertThatThrownBy(() -> EncryptedString.of(null)).isInstanceOf(NullPointerException.class)
            .hasMessageContaining("null property cannot be encrypted");
        assertThat(EncryptedString.of("078-05-1120")).hasToString("EncryptedString[redacted]");
    }

    @Test
    void plainTableClient_givenAMarkedValue_failsWithoutStoringIt() {
        TableEntity entity = new TableEntity("p", "r").addProperty("Ssn", EncryptedString.of("078-05-1120"));

        assertThatThrownBy(() -> plain.upsertEntity(entity)).isInstanceOf(RuntimeException.class);
        assertThat(plain.listEntities()).isEmpty();
    }
}
