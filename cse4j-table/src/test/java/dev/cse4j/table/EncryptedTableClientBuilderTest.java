package dev.cse4j.table;

import com.azure.core.credential.AccessToken;
import com.azure.core.credential.AzureNamedKeyCredential;
import com.azure.core.credential.AzureSasCredential;
import com.azure.core.credential.TokenCredential;
import com.azure.core.cryptography.AsyncKeyEncryptionKey;
import com.azure.data.tables.TableClient;
import com.azure.data.tables.TableServiceClientBuilder;
import com.azure.data.tables.models.TableEntity;
import com.azure.data.tables.sas.TableAccountSasPermission;
import com.azure.data.tables.sas.TableAccountSasResourceType;
import com.azure.data.tables.sas.TableAccountSasService;
import com.azure.data.tables.sas.TableAccountSasSignatureValues;
import com.azure.data.tables.sas.TableSasPermission;
import com.azure.data.tables.sas.TableSasSignatureValues;
import dev.cse4j.core.ClientSideEncryptionOptions;
import dev.cse4j.keys.AesKeyWrapKey;
import dev.cse4j.keys.KeyWrapAlgorithm;
import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import dev.cse4j.testing.BuilderRefusals;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import reactor.core.publisher.Mono;

import java.time.OffsetDateTime;
import java.util.function.Consumer;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

@ExtendWith(AzuriteExtension.class)
class EncryptedTableClientBuilderTest {
    /** A well-formed account SAS whose signature no refusal may quote. */
    private static final String SAS = "sv=2021-08-06&ss=t&srt=sco&sp=rwdlau&sig=c2VjcmV0U2lnbmF0dXJl";

    private static EncryptedTableClientBuilder keyed() {
        return new EncryptedTableClientBuilder().clientSideEncryptionOptions(Tables.options().build());
    }

    private static EncryptedTableClientBuilder named() {
        return new EncryptedTableClientBuilder().tableName("t");
    }

    @TestFactory
    Stream<DynamicTest> refusesWhatEveryBuilderRefuses_withTheSameMessages() {
        return BuilderRefusals.tests(() -> named().clientSideEncryptionOptions(Tables.options().build()),
            EncryptedTableClientBuilderTest::named, EncryptedTableClientBuilder::buildEncryptedTableClient);
    }

    @TestFactory
    Stream<DynamicTest> asyncClient_refusesTheSame_withTheSameMessages() {
        return BuilderRefusals.tests(() -> named().clientSideEncryptionOptions(Tables.options().build()),
            EncryptedTableClientBuilderTest::named, EncryptedTableClientBuilder::buildEncryptedTableAsyncClient);
    }

    @Test
    void asyncClient_ofAWrappedSynchronousTableClient_isRefusedSayingWhatToSetInstead(Azurite azurite) {
        TableClient plain = Tables.plain(azurite, "wrapped");

        assertThatThrownBy(() -> keyed().tableClient(plain).buildEncryptedTableAsyncClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContainingAll("tableClient(...) wraps a synchronous TableClient", "connectionString(...)",
                "buildEncryptedTableClient()");
    }

    @Test
    void negativeMaxMergeRetries_isRefusedAtOnce() {
        assertThatThrownBy(() -> new EncryptedTableClientBuilder().maxMergeRetries(-1))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("maxMergeRetries must be 0 or more");
    }

    @Test
    void nothingToConnectTo_namesTheWays() {
        assertThatThrownBy(() -> keyed().buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Nothing to connect to: set tableClient(...), or connectionString(...) and tableName(...), "
                + "or endpoint(...) with a credential and tableName(...).");
    }

    @Test
    void connectionStringWithoutTableName_failsNamingTableName() {
        assertThatThrownBy(() -> keyed().connectionString(BuilderRefusals.CONNECTION_STRING)
            .buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage("Name the table: set tableName(...).");
    }

    @Test
    void tableClientWithConnectionSettings_failsNamingThem() {
        TableClient existing = new com.azure.data.tables.TableClientBuilder()
            .connectionString(BuilderRefusals.CONNECTION_STRING).tableName("t").buildClient();
        assertThatThrownBy(() -> keyed().tableClient(existing).tableName("t").buildEncryptedTableClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("tableClient(...) already carries the endpoint, credential and HTTP pipeline; remove "
                + "tableName(...).");
    }

    @Test
    void pathStyleEndpointWithAccountKey_andAsyncKeys_roundTripOnAzurite(Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "endpoint");
        AesKeyWrapKey kek = Tables.kek();
        AsyncKeyEncryptionKey asyncKek = new AsyncKeyEncryptionKey() {
            @Override
            public Mono<String> getKeyId() {
                return Mono.just(kek.getKeyId());
            }

            @Override
            public Mono<byte[]> wrapKey(String algorithm, byte[] key) {
                return Mono.fromSupplier(() -> kek.wrapKey(algorithm, key));
            }

            @Override
            public Mono<byte[]> unwrapKey(String algorithm, byte[] encryptedKey) {
                return Mono.fromSupplier(() -> kek.unwrapKey(algorithm, encryptedKey));
            }
        };
        EncryptedTableClient writer = new EncryptedTableClientBuilder().endpoint(azurite.tableEndpoint())
            .credential(new AzureNamedKeyCredential(azurite.accountName(), azurite.accountKey()))
            .tableName(plain.getTableName()).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .key(asyncKek, KeyWrapAlgorithm.A256KW).build())
            .encryptionResolver((pk, rk, name) -> true).buildEncryptedTableClient();
        EncryptedTableClient reader = new EncryptedTableClientBuilder().connectionString(azurite.connectionString())
            .tableName(plain.getTableName()).clientSideEncryptionOptions(ClientSideEncryptionOptions.builder()
                .asyncKeyResolver(id -> Mono.just(asyncKek)).build()).buildEncryptedTableClient();

        writer.upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s"));

        assertThat(reader.getEntity("p", "r").getProperty("Secret")).isEqualTo("s");
        assertThat(plain.getEntity("p", "r").getProperty("Secret")).isInstanceOf(byte[].class);
        assertThat(writer.getTableName()).isEqualTo(plain.getTableName());
    }

    /** Every kind of client with an endpoint of each form: the account's URL, and with a trailing slash. */
    static Stream<Arguments> sasEndpointForms() {
        return Api.times("", "/");
    }

    @ParameterizedTest(name = "{0}, endpoint{1}?sas")
    @MethodSource("sasEndpointForms")
    void sasInEndpointUrl_asTheOnlyCredential_writesAndReadsEncryptedEntitiesOnAzurite(Api api, String slash,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "sasurl");
        String sas = accountSas(azurite);
        Api.TestTable bySasInUrl = api.build(keyed().endpoint(azurite.tableEndpoint() + slash + "?" + sas)
            .tableName(plain.getTableName()).encryptionResolver((pk, rk, name) -> name.equals("Secret")));

        bySasInUrl.upsertEntity(new TableEntity("p", "r").addProperty("Secret", "s").addProperty("Plain", "x"));

        assertThat(bySasInUrl.getEntity("p", "r").getProperties()).containsEntry("Secret", "s")
            .containsEntry("Plain", "x");
        assertThat(plain.getEntity("p", "r").getProperty("Secret")).isInstanceOf(byte[].class);
        assertThat(Tables.builder(plain).buildEncryptedTableClient().getEntity("p", "r").getProperty("Secret"))
            .isEqualTo("s");
    }

    static Stream<Arguments> tableSasForms() {
        return Api.times("sasToken(...)", "endpoint URL");
    }

    /**
     * A service SAS for one table (what {@code TableClient.generateSas} makes, with no access to the account or other
     * tables), not an account SAS: what an encrypted table client does on the table's entities works with it.
     * (Transactions are left out: Azurite answers a {@code $batch} under a table SAS with an error, to the plain
     * SDK too.)
     */
    @ParameterizedTest(name = "{0}, table SAS in {1}")
    @MethodSource("tableSasForms")
    void tableSas_ofThatTableOnly_writesReadsQueriesRotatesAndDeletesEncryptedEntitiesOnAzurite(Api api, String form,
        Azurite azurite) {
        TableClient plain = Tables.createTable(azurite, "tablesas");
        String sas = plain.generateSas(new TableSasSignatureValues(OffsetDateTime.now().plusHours(1),
            TableSasPermission.parse("raud")));
        EncryptedTableClientBuilder builder = keyed().tableName(plain.getTableName())
            .encryptionResolver((pk, rk, name) -> name.equals("Secret"));
        Api.TestTable byTableSas = api.build(form.equals("sasToken(...)")
            ? builder.endpoint(azurite.tableEndpoint()).sasToken(sas)
            : builder.endpoint(azurite.tableEndpoint() + "?" + sas));

        byTableSas.createEntity(new TableEntity("p", "r1").addProperty("Secret", "s\u00e9\uD83D\uDD11")
            .addProperty("Plain", "x"));
        byTableSas.upsertEntity(new TableEntity("p", "r2").addProperty("Secret", "t"));
        byTableSas.updateEntity(new TableEntity("p", "r2").addProperty("Secret", "u"));
        byTableSas.rotateClientSideEncryptionKey("p", "r2");

        assertThat(byTableSas.getEntity("p", "r1").getProperties()).containsEntry("Secret", "s\u00e9\uD83D\uDD11")
            .containsEntry("Plain", "x");
        assertThat(byTableSas.listEntities().stream().map(e -> e.getProperty("Secret")))
            .containsExactly("s\u00e9\uD83D\uDD11", "u");
        assertThat(plain.getEntity("p", "r2").getProperty("Secret")).isInstanceOf(byte[].class);
        byTableSas.deleteEntity("p", "r1");
        assertThat(plain.listEntities().stream().map(TableEntity::getRowKey)).containsExactly("r2");
    }

    @Test
    void sasInEndpointUrl_isNotInTheEndpointTheClientReports(Azurite azurite) {
        String sas = accountSas(azurite);
        EncryptedTableClientBuilder builder = keyed().endpoint(azurite.tableEndpoint() + "?" + sas).tableName("t");

        assertThat(builder.buildEncryptedTableClient().getTableEndpoint()).doesNotContain(signature(sas));
        assertThat(builder.buildEncryptedTableAsyncClient().getTableEndpoint()).doesNotContain(signature(sas));
    }

    /** The ambiguous ways to give a SAS in the endpoint URL, each refused by both builds without quoting it. */
    static Stream<Arguments> sasInUrlAndAnotherCredential() {
        return Stream.of(
            Arguments.of("sasToken(...)", (Consumer<EncryptedTableClientBuilder>) b -> b.sasToken(SAS)),
            Arguments.of("credential(AzureSasCredential)", (Consumer<EncryptedTableClientBuilder>) b -> b.credential(
                new AzureSasCredential(SAS))),
            Arguments.of("credential(TokenCredential)", (Consumer<EncryptedTableClientBuilder>) b -> b.credential(
                (TokenCredential) request -> Mono.just(
                    new AccessToken("t", OffsetDateTime.now().plusHours(1))))));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("sasInUrlAndAnotherCredential")
    void sasInEndpointUrl_withAnotherCredential_isRefusedByBothBuilds_withoutQuotingTheSas(String setter,
        Consumer<EncryptedTableClientBuilder> credential) {
        EncryptedTableClientBuilder builder = named().clientSideEncryptionOptions(Tables.options().build())
            .endpoint(BuilderRefusals.ENDPOINT + "?" + SAS);
        credential.accept(builder);
        String message = "More than one credential is set (a SAS in the endpoint URL, " + setter + "); keep one.";

        assertThatThrownBy(builder::buildEncryptedTableClient).isInstanceOf(IllegalStateException.class)
            .hasMessage(message);
        assertThatThrownBy(builder::buildEncryptedTableAsyncClient).isInstanceOf(IllegalStateException.class)
            .hasMessage(message);
    }

    @Test
    void sasInEndpointUrl_withConnectionString_isRefused() {
        assertThatThrownBy(() -> named().clientSideEncryptionOptions(Tables.options().build())
            .connectionString(BuilderRefusals.CONNECTION_STRING).endpoint(BuilderRefusals.ENDPOINT + "?" + SAS)
            .buildEncryptedTableClient()).isInstanceOf(IllegalStateException.class)
            .hasMessage(BuilderRefusals.BOTH_LOCATIONS);
    }

    @Test
    void sasAfterAFragmentMark_isRefusedWithoutQuotingIt() {
        assertThatThrownBy(() -> named().clientSideEncryptionOptions(Tables.options().build())
            .endpoint(BuilderRefusals.ENDPOINT + "#x?" + SAS).buildEncryptedTableClient())
            .isInstanceOf(IllegalStateException.class)
            .hasMessage("The connection settings are invalid (the endpoint's SAS follows a '#', in the URL's "
                + "fragment, which is never sent: put it before any '#'); check endpoint(...) and the credential.")
            .cause().hasMessageNotContaining("sig=");
    }

    /** An account SAS of Azurite's account for the table service, made with its account key by the Azure SDK. */
    private static String accountSas(Azurite azurite) {
        return new TableServiceClientBuilder().connectionString(azurite.connectionString()).buildClient()
            .generateAccountSas(new TableAccountSasSignatureValues(OffsetDateTime.now().plusHours(1),
                TableAccountSasPermission.parse("rwdlau"), new TableAccountSasService().setTableAccess(true),
                new TableAccountSasResourceType().setService(true).setContainer(true).setObject(true)));
    }

    /** The {@code sig} parameter's value of {@code sas}. */
    private static String signature(String sas) {
        for (String parameter : sas.split("&")) {
            if (parameter.startsWith("sig=")) {
                return parameter.substring(4);
            }
        }
        throw new AssertionError("no signature in the SAS");
    }

    @Test
    void invalidTableName_surfacesAsTableServiceException(Azurite azurite) {
        // The service's error for an invalid name must reach the caller as the SDK's exception, not as a linkage
        // error from a missing serializer (reported once from the CLI's shaded jar; not reproduced since).
        EncryptedTableClient client = keyed().connectionString(azurite.connectionString()).tableName("bad_name!")
            .buildEncryptedTableClient();
        assertThatThrownBy(client::createTable).isInstanceOf(com.azure.data.tables.models.TableServiceException.class);
    }
}
