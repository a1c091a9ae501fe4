package dev.cse4j.core.implementation;

import dev.cse4j.core.EncryptedRegionInfo;
import dev.cse4j.core.EncryptionData;
import dev.cse4j.core.EncryptionProtocol;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.MalformedEncryptionDataException;
import dev.cse4j.core.WrappedKey;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The table-entity protocol {@code cse4j-t1}: its metadata, its wrap prefix, and its refusal outside tables. */
class TableEntityProtocolTest {

    @Test
    void sealTableEntity_wrapsTheKeyBehindTheEightByteProtocolPrefix() {
        Envelope sealed = Envelope.sealTableEntity(TestKeys.settings());

        byte[] unwrapped = TestKeys.kek().unwrapKey("A256KW", sealed.data().wrappedContentKey().encryptedKey());

        assertThat(unwrapped).hasSize(40);
        assertThat(Arrays.copyOf(unwrapped, 8)).isEqualTo("cse4j-t1".getBytes(StandardCharsets.US_ASCII));
        assertThat(Arrays.copyOfRange(unwrapped, 8, 40)).isEqualTo(sealed.key().bytes());
    }

    @Test
    void tableMetadata_roundTripsThroughJson_withoutIvOrRegionInfo() {
        Envelope sealed = Envelope.sealTableEntity(TestKeys.settings());
        String json = sealed.data().toJsonString();

        assertThat(json).contains("\"Protocol\":\"cse4j-t1\"", "\"EncryptionAlgorithm\":\"AES_GCM_256_AAD\"")
            .doesNotContain("ContentEncryptionIV", "EncryptedRegionInfo", "EncryptionMode");
        EncryptionData parsed = EncryptionData.parse(json);
        assertThat(parsed).isEqualTo(sealed.data());
        assertThat(parsed.protocol()).isEqualTo(EncryptionProtocol.CSE4J_TABLE_1);
        assertThat(Envelope.open(TestKeys.settings(), parsed, "entity").key().bytes())
            .isEqualTo(sealed.key().bytes());
    }

    @Test
    void parse_tableProtocolWithAnIvOrRegionInfo_isMalformed() {
        String json = Envelope.sealTableEntity(TestKeys.settings()).data().toJsonString();
        String withIv = json.replace("\"KeyWrappingMetadata\"", "\"ContentEncryptionIV\":\"AAAAAAAAAAAAAAAAAAAAAA==\","
            + "\"KeyWrappingMetadata\"");
        String withRegions = json.replace("\"KeyWrappingMetadata\"",
            "\"EncryptedRegionInfo\":{\"DataLength\":16,\"NonceLength\":12},\"KeyWrappingMetadata\"");

        assertThatThrownBy(() -> EncryptionData.parse(withIv)).isInstanceOf(MalformedEncryptionDataException.class)
            .hasMessageContaining("ContentEncryptionIV");
        assertThatThrownBy(() -> EncryptionData.parse(withRegions))
            .isInstanceOf(MalformedEncryptionDataException.class).hasMessageContaining("EncryptedRegionInfo");
    }

    @Test
    void parse_tableProtocolWithTheBlobAlgorithm_isMalformed() {
        String json = Envelope.sealTableEntity(TestKeys.settings()).data().toJsonString()
            .replace("AES_GCM_256_AAD", "AES_GCM_256");

        assertThatThrownBy(() -> EncryptionData.parse(json)).isInstanceOf(MalformedEncryptionDataException.class)
            .hasMessageContaining("AES_GCM_256_AAD");
    }

    @Test
    void open_tableKeyRelabelledAsV2_throwsIntegrityException() {
        WrappedKey tableKey = Envelope.sealTableEntity(TestKeys.settings()).data().wrappedContentKey();
        EncryptionData relabelled = EncryptionData.forV2(EncryptionProtocol.V2_1, tableKey,
            EncryptedRegionInfo.ofDataLength(16), Map.of(), null);

        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), relabelled, "blob"))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("cse4j-t1");
    }

    @Test
    void open_v2KeyRelabelledAsTable_throwsIntegrityException() {
        WrappedKey blobKey = Envelope.seal(TestKeys.settings(), EncryptionProtocol.V2_0,
            EncryptedRegionInfo.V2_0_DATA_LENGTH, null).data().wrappedContentKey();
        EncryptionData relabelled = EncryptionData.forTableEntity(blobKey, Map.of());

        assertThatThrownBy(() -> Envelope.open(TestKeys.settings(), relabelled, "entity"))
            .isInstanceOf(IntegrityException.class).hasMessageContaining("2.0");
    }

    @Test
    void regionCrypto_onTableMetadata_isRefusedAsMalformed() {
        EncryptionData tableData = Envelope.sealTableEntity(TestKeys.settings()).data();
        Envelope opened = Envelope.open(TestKeys.settings(), tableData, "blob 'c/b'");

        assertThatThrownBy(opened::regionDecryptor).isInstanceOf(MalformedEncryptionDataException.class)
            .hasMessageContaining("only valid on table entities");
        assertThatThrownBy(() -> Envelope.seal(TestKeys.settings(), EncryptionProtocol.CSE4J_TABLE_1, 16, null))
            .isInstanceOf(IllegalArgumentException.class);
    }
}
