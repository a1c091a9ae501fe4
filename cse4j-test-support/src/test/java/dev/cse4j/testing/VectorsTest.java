package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cse4j.testing.KnownAnswerVector.Kind;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

class VectorsTest {

    static List<KnownAnswerVector> blobVectors() {
        return Vectors.all().stream().filter(vector -> vector.kind() == Kind.BLOB).toList();
    }

    static List<KnownAnswerVector> queueVectors() {
        return Vectors.all().stream().filter(vector -> vector.kind() == Kind.QUEUE_MESSAGE).toList();
    }

    @Test
    void folders_areTheThreeWriters() {
        assertThat(Vectors.folders()).containsExactly(Vectors.JAVA_SDK, Vectors.JAVA8_LEGACY_SDK, Vectors.PYTHON_SDK);
    }

    @Test
    void list_javaSdk_namesEveryVectorButNotTheEncryptionDataSideFiles() {
        assertThat(Vectors.list(Vectors.JAVA_SDK)).extracting(KnownAnswerVector::name)
            .containsExactly("v1-1byte", "v2-1byte", "v2-4MiB+17", "v2-empty", "v2_1-region16-100bytes");
    }

    @Test
    void all_holdsSixBlobsTwoQueueMessagesAndOneTableEntity() {
        assertThat(blobVectors()).hasSize(6);
        assertThat(queueVectors()).extracting(KnownAnswerVector::id)
            .containsExactly("java8-legacy-sdk/queue-v1", "python-sdk/queue-v2.0");
        assertThat(Vectors.all()).filteredOn(vector -> vector.kind() == Kind.TABLE_ENTITY)
            .extracting(KnownAnswerVector::id).containsExactly("java8-legacy-sdk/table-v1");
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobVectors")
    void plaintext_ofEveryBlobVector_matchesItsStoredLengthAndSha256(KnownAnswerVector vector) {
        byte[] plaintext = vector.plaintext();

        assertThat((long) plaintext.length).isEqualTo(vector.plaintextLength());
        assertThat(TestData.sha256Hex(plaintext)).isEqualTo(vector.plaintextSha256());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobVectors")
    void rawBytes_ofEveryBlobVector_matchStoredSha256(KnownAnswerVector vector) {
        assertThat(TestData.sha256Hex(vector.rawBytes())).isEqualTo(vector.rawSha256());
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("blobVectors")
    void encryptionDataJson_ofEveryBlobVector_isTheStoredMetadataString(KnownAnswerVector vector) {
        String json = vector.encryptionDataJson();

        assertThat(json).isEqualTo(vector.metadata().get("encryptiondata")).startsWith("{\"EncryptionMode\":\"FullBlob\"");
        if (vector.folder().equals(Vectors.JAVA_SDK)) {
            String sideFile = new String(VectorResources.read(vector.folder() + "/" + vector.name()
                + ".encryptiondata.json"), StandardCharsets.UTF_8);
            assertThat(json).isEqualTo(sideFile);
        }
    }

    @Test
    void largeBlob_regeneratesItsPlaintextFromTheRecipe_andReadsItsCiphertextFile() {
        KnownAnswerVector large = Vectors.load(Vectors.JAVA_SDK, "v2-4MiB+17");

        assertThat(large.plaintext()).isEqualTo(TestData.recipe(4_194_321));
        assertThat(large.rawBytes()).hasSize(4_194_377);
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("queueVectors")
    void plaintext_ofEveryQueueVector_isItsUtf8Text(KnownAnswerVector vector) {
        assertThat(new String(vector.plaintext(), StandardCharsets.UTF_8)).isEqualTo(vector.plaintextUtf8());
        assertThat(vector.rawMessageText()).contains("\"EncryptedMessageContents\"");
    }

    @Test
    void everyVector_usesTheKeyOfItsFoldersKekFile() {
        byte[] kek = HexFormat.of().parseHex("000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f");
        for (KnownAnswerVector vector : Vectors.all()) {
            assertThat(vector.kekBytes()).as(vector.id()).isEqualTo(kek).isEqualTo(Vectors.kek(vector.folder()));
            assertThat(vector.kekId()).as(vector.id()).isEqualTo("local:kek1");
            assertThat(vector.kekAlgorithm()).as(vector.id()).isEqualTo("A256KW");
        }
    }

    @Test
    void tableVector_exposesEntityEncryptedNamesAndBinaryRawProperties() {
        KnownAnswerVector table = Vectors.load(Vectors.JAVA8_LEGACY_SDK, "table-v1");

        assertThat(table.kind()).isEqualTo(Kind.TABLE_ENTITY);
        assertThat(table.plaintextEntity()).containsEntry("Secret", "from j8 é").containsEntry("Public", "visible");
        assertThat(table.encryptedProperties()).containsExactly("Secret");
        assertThat(table.rawEntityProperties()).containsKeys("PartitionKey", "RowKey", "Secret", "Public",
            "_ClientEncryptionMetadata1", "_ClientEncryptionMetadata2");
        assertThat(table.rawEntityProperties().get("Secret")).isInstanceOf(byte[].class)
            .isEqualTo(Base64.getDecoder().decode("NKuoeYB/fBO/zRW8/1bZHw=="));
        assertThat(table.encryptionDataJson()).startsWith("{\"WrappedContentKey\":");
    }

    @Test
    void load_unknownVector_failsListingWhatExists() {
        assertThatThrownBy(() -> Vectors.load(Vectors.PYTHON_SDK, "nope"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("No vector 'nope' in folder 'python-sdk'")
            .hasMessageContaining("queue-v2.0");
    }

    @Test
    void list_unknownFolder_failsListingTheFolders() {
        assertThatThrownBy(() -> Vectors.list("dotnet-sdk"))
            .isInstanceOf(IllegalArgumentException.class)
            .hasMessageContaining("java-sdk");
    }

    @Test
    void askingAQueueVectorForBlobBytes_failsNamingVectorAndField() {
        assertThatThrownBy(() -> Vectors.load(Vectors.PYTHON_SDK, "queue-v2.0").rawBytes())
            .isInstanceOf(IllegalStateException.class)
            .hasMessageContaining("python-sdk/queue-v2.0 (a QUEUE_MESSAGE vector) has no raw_b64");
    }
}
