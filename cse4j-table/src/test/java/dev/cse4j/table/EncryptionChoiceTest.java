package dev.cse4j.table;

import java.util.stream.Stream;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.EnumSource;
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

    private Api.TestTable encryptingEverythingNamed(Api api, String name) {
        return Tables.encrypted(api, plain, AUTHENTICATED, (pk, rk, property) -> property.equals(name));
    }

    private void assertRefused(Api.TestTable table, TableEntity entity, String... messageParts) {
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

    @ParameterizedTest
    @EnumSource(Api.class)
    void resolverSelectingANumber_isRefused(Api api) {
        assertRefused(encryptingEverythingNamed(api, "Age"), new TableEntity("p", "r").addProperty("Age", 42),
            "'Age'", "Integer", "only string properties");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void resolverSelectingBinaryDatesGuidsAndBooleans_isRefused(Api api) {
        assertRefused(encryptingEverythingNamed(api, "B"), new TableEntity("p", "r").addProperty("B", new byte[] {1}),
            "'B'");
        assertRefused(encryptingEverythingNamed(api, "D"), new TableEntity("p", "r").addProperty("D", OffsetDateTime.now()),
            "'D'");
        assertRefused(encryptingEverythingNamed(api, "G"), new TableEntity("p", "r").addProperty("G", UUID.randomUUID()),
            "'G'");
        assertRefused(encryptingEverythingNamed(api, "F"), new TableEntity("p", "r").addProperty("F", false), "'F'");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void resolverSelectingAStringAnnotatedAsAnotherType_isRefused(Api api) {
        TableEntity entity = new TableEntity("p", "r").addProperty("Big", "12345")
            .addProperty("Big@odata.type", "Edm.Int64");

        assertRefused(encryptingEverythingNamed(api, "Big"), entity, "Edm.Int64");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void resolverSelectingANullProperty_isRefused(Api api) {
        assertRefused(encryptingEverythingNamed(api, "Gone"), new TableEntity("p", "r").addProperty("Gone", null),
            "'Gone'", "null");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void resolver_isNeverAskedAboutSystemPropertiesOrBookkeeping_soEncryptEverythingWorksOnStrings(Api api) {
        java.util.Set<String> asked = new java.util.TreeSet<>();
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, (pk, rk, name) -> {
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

    static Stream<Arguments> markingASystemPropertyWithEncryptedString_isRefused() {
        return Api.times("PartitionKey", "RowKey", "Timestamp");
    }

    @ParameterizedTest
    @MethodSource
    void markingASystemPropertyWithEncryptedString_isRefused(Api api, String name) {
        TableEntity entity = new TableEntity("p", "r");
        entity.getProperties().put(name, EncryptedString.of("x")); // TableEntity.addProperty would refuse Timestamp

        assertRefused(Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE), entity, name,
            "never encrypted");
    }

    static Stream<Arguments> userPropertyWithAReservedName_isRefused() {
        return Api.times("_ClientEncryptionMetadata1", "_ClientEncryptionMetadata2");
    }

    @ParameterizedTest
    @MethodSource
    void userPropertyWithAReservedName_isRefused(Api api, String name) {
        assertRefused(Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE),
            new TableEntity("p", "r").addProperty(name, "mine"), name, "reserved");
    }

    static Stream<Arguments> legacyFormat_refusesEncryptedNamesTheJava8ReaderCannotParse() {
        return Api.times("Has Space", "Has,Comma", "Has\"Quote", "Back\\slash", "Tab\tName");
    }

    @ParameterizedTest
    @MethodSource
    void legacyFormat_refusesEncryptedNamesTheJava8ReaderCannotParse(Api api, String name) {
        Api.TestTable legacy = Tables.encrypted(api, plain, LEGACY_V1_UNAUTHENTICATED, EncryptionResolver.NONE);

        assertRefused(legacy, new TableEntity("p", "r").addProperty(name, EncryptedString.of("s")), "Java 8",
            "authenticated format");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void authenticatedFormat_acceptsNamesWithSpacesAndCommas(Api api) {
        // The format takes any name, quotes too, but Azurite mangles a name with a quote in its responses.
        Api.TestTable table = Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE);
        TableEntity entity = new TableEntity("p", "r").addProperty("a,b", EncryptedString.of("1"))
            .addProperty("é ü", EncryptedString.of("3"));

        assertThatNoException().isThrownBy(() -> table.upsertEntity(entity));
        TableEntity read = table.getEntity("p", "r");
        assertThat(read.getProperty("a,b")).isEqualTo("1");
        assertThat(read.getProperty("é ü")).isEqualTo("3");
    }

    @ParameterizedTest
    @EnumSource(Api.class)
    void valueWithAnUnpairedSurrogate_isRefusedRatherThanStoredAsAQuestionMark(Api api) {
        assertRefused(Tables.encrypted(api, plain, AUTHENTICATED, EncryptionResolver.NONE),
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
