package dev.cse4j.fleet;

import dev.cse4j.core.EncryptionPolicyException;
import dev.cse4j.core.IntegrityException;
import dev.cse4j.core.KeyResolutionException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class FleetResultTest {
    private static final FleetObject BLOB = FleetObject.blob("c", "a/b.pdf");
    private static final EncryptionState OLD = new EncryptionState("2.0", "old");
    private static final EncryptionState NEW = new EncryptionState("2.0", "new");

    @Test
    void toJson_rewrapped_hasNameResultFromToAndReasonInOrder_theReasonNull() {
        assertThat(FleetResult.wrote(BLOB, FleetOutcome.REWRAPPED, OLD, NEW).toJson()).isEqualTo(
            "{\"name\":\"a/b.pdf\",\"result\":\"rewrapped\",\"from\":{\"protocol\":\"2.0\",\"keyId\":\"old\"},"
                + "\"to\":{\"protocol\":\"2.0\",\"keyId\":\"new\"},\"reason\":null}");
    }

    @Test
    void toJson_skippedUnencrypted_hasNullFromMembers_noTo_andTheReason() {
        assertThat(FleetResult.skipped(BLOB, EncryptionState.NONE, "not encrypted").toJson()).isEqualTo(
            "{\"name\":\"a/b.pdf\",\"result\":\"skipped\",\"from\":{\"protocol\":null,\"keyId\":null},"
                + "\"reason\":\"not encrypted\"}");
    }

    @Test
    void toJson_dryRunAndVerified_spellTheirResults_andCarryTheReasonMemberEvenWithoutOne() {
        assertThat(FleetResult.wrote(BLOB, FleetOutcome.WOULD_MIGRATE, OLD, NEW).toJson())
            .contains("\"result\":\"would-migrate\"", "\"to\":{").endsWith("},\"reason\":null}");
        assertThat(FleetResult.wrote(BLOB, FleetOutcome.WOULD_REWRAP, OLD, NEW).toJson())
            .contains("\"result\":\"would-rewrap\"").endsWith("},\"reason\":null}");
        assertThat(FleetResult.verified(BLOB, OLD, null).toJson()).isEqualTo("{\"name\":\"a/b.pdf\",\"result\":"
            + "\"verified\",\"from\":{\"protocol\":\"2.0\",\"keyId\":\"old\"},\"reason\":null}");
        assertThat(FleetResult.verified(BLOB, new EncryptionState("1.0", "old"), "not authenticated").toJson())
            .endsWith("\"from\":{\"protocol\":\"1.0\",\"keyId\":\"old\"},\"reason\":\"not authenticated\"}");
    }

    @Test
    void toJson_entity_hasPartitionKeyAndRowKeyInsteadOfName() {
        FleetResult result = FleetResult.wrote(FleetObject.entity("t", "p", "r"), FleetOutcome.MIGRATED,
            new EncryptionState("1.0", "k"), new EncryptionState("cse4j-t1", "k"));
        assertThat(result.toJson()).isEqualTo("{\"partitionKey\":\"p\",\"rowKey\":\"r\",\"result\":\"migrated\","
            + "\"from\":{\"protocol\":\"1.0\",\"keyId\":\"k\"},\"to\":{\"protocol\":\"cse4j-t1\",\"keyId\":\"k\"},"
            + "\"reason\":null}");
    }

    @Test
    void toJson_escapesQuotesBackslashesAndControlCharacters_andKeepsUnicode() {
        FleetResult result = FleetResult.skipped(FleetObject.blob("c", "q\"b\\s\u0007\u001b[31m€😀"),
            new EncryptionState("2.0", "k\"1"), "not encrypted");
        String json = result.toJson();
        assertThat(json.replace("\\u001B", "\\u001b")).startsWith("{\"name\":\"q\\\"b\\\\s\\u0007\\u001b[31m€😀\"")
            .contains("\"keyId\":\"k\\\"1\"").doesNotContain("\u0007", "\u001b");
    }

    @Test
    void failed_fromAnException_classifiesItAndKeepsItsMessageOnOneLine() {
        FleetResult result = FleetResult.failed(BLOB, OLD, new IllegalStateException("wrapped",
            new IntegrityException("Region 3 failed\nauthentication")));
        FleetResult plain = FleetResult.failed(BLOB, OLD, new RuntimeException("line one\r\n  line two"));

        assertThat(result.failureClass()).isEqualTo(FailureClass.INTEGRITY);
        assertThat(result.reason()).isEqualTo("wrapped");
        assertThat(plain.failureClass()).isEqualTo(FailureClass.OTHER);
        assertThat(plain.reason()).isEqualTo("line one line two");
        assertThat(FleetResult.failed(BLOB, OLD, new NullPointerException()).reason())
            .isEqualTo("NullPointerException");
    }

    @Test
    void reason_longerThanTheBound_isCutWithAnEllipsis() {
        String reason = FleetResult.failed(BLOB, OLD, FailureClass.OTHER, "x".repeat(5000)).reason();
        assertThat(reason).hasSize(FleetResult.MAX_REASON).endsWith("…");
    }

    @Test
    void invariants_toOnlyForWrites_reasonForSkippedAndFailed_classOnlyForFailed() {
        assertThatThrownBy(() -> FleetResult.wrote(BLOB, FleetOutcome.VERIFIED, OLD, NEW))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FleetResult.wrote(BLOB, FleetOutcome.REWRAPPED, OLD, null))
            .isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FleetResult.skipped(BLOB, OLD, null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> FleetResult.skipped(BLOB, OLD, "  ")).isInstanceOf(IllegalArgumentException.class);
        assertThat(FleetResult.skipped(BLOB, OLD, "archived").failureClass()).isNull();
    }

    @Test
    void failureClass_ofCse4jExceptionsAnywhereInTheChain_andSeverityOrder() {
        assertThat(FailureClass.of(new RuntimeException(new KeyResolutionException(
            KeyResolutionException.Reason.KEY_NOT_FOUND, "k", "no key")))).isEqualTo(FailureClass.KEY_NOT_FOUND);
        assertThat(FailureClass.of(new EncryptionPolicyException("1.0"))).isEqualTo(FailureClass.POLICY);
        assertThat(FailureClass.of(new IllegalStateException())).isEqualTo(FailureClass.OTHER);
        assertThat(FailureClass.INTEGRITY.isMoreSeriousThan(FailureClass.KEY_NOT_FOUND)).isTrue();
        assertThat(FailureClass.KEY_NOT_FOUND.isMoreSeriousThan(FailureClass.POLICY)).isTrue();
        assertThat(FailureClass.POLICY.isMoreSeriousThan(FailureClass.OTHER)).isTrue();
        assertThat(FailureClass.OTHER.isMoreSeriousThan(FailureClass.INTEGRITY)).isFalse();
    }

    @Test
    void summary_exitCodeIsTheMostSeriousFailureClassSeen_orZero() {
        FleetSummary summary = new FleetSummary();
        summary.add(FleetResult.wrote(BLOB, FleetOutcome.REWRAPPED, OLD, NEW));
        summary.add(FleetResult.skipped(BLOB, OLD, "already done"));
        assertThat(summary.exitCode()).isZero();

        summary.add(FleetResult.failed(BLOB, OLD, FailureClass.OTHER, "x"));
        assertThat(summary.exitCode()).isEqualTo(1);
        summary.add(FleetResult.failed(BLOB, OLD, FailureClass.POLICY, "x"));
        assertThat(summary.exitCode()).isEqualTo(5);
        summary.add(FleetResult.failed(BLOB, OLD, FailureClass.INTEGRITY, "x"));
        summary.add(FleetResult.failed(BLOB, OLD, FailureClass.KEY_NOT_FOUND, "x"));
        assertThat(summary.exitCode()).isEqualTo(3);

        assertThat(summary.total()).isEqualTo(6);
        assertThat(summary.count(FleetOutcome.FAILED)).isEqualTo(4);
        assertThat(summary).hasToString("6 objects: 1 rewrapped, 1 skipped, 4 failed (1 integrity, 1 key not "
            + "found, 1 policy, 1 other)");
        FleetSummary merged = new FleetSummary();
        merged.add(summary);
        merged.add(summary);
        assertThat(merged.total()).isEqualTo(12);
        assertThat(merged.exitCode()).isEqualTo(3);
    }

    @Test
    void summary_fromCounts_isTheSummaryOfThoseResults_andRefusesAFailureClassWithoutAFailure() {
        FleetSummary results = new FleetSummary();
        results.add(FleetResult.wrote(BLOB, FleetOutcome.MIGRATED, OLD, NEW));
        results.add(FleetResult.wrote(BLOB, FleetOutcome.MIGRATED, OLD, NEW));
        results.add(FleetResult.failed(BLOB, OLD, FailureClass.POLICY, "x"));
        FleetSummary counts = new FleetSummary();

        counts.add(FleetOutcome.MIGRATED, null, 2);
        counts.add(FleetOutcome.FAILED, FailureClass.POLICY, 1);
        counts.add(FleetOutcome.SKIPPED, null, 0);

        assertThat(counts).hasToString(results.toString()).hasToString("3 objects: 2 migrated, 1 failed (1 policy)");
        assertThat(counts.exitCode()).isEqualTo(5);
        assertThatThrownBy(() -> counts.add(FleetOutcome.MIGRATED, FailureClass.POLICY, 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> counts.add(FleetOutcome.FAILED, null, 1))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> counts.add(FleetOutcome.SKIPPED, null, -1))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void options_checkWhatFitsTogether() {
        assertThat(FleetOptions.of(FleetAction.REWRAP).concurrency()).isEqualTo(8);
        assertThatThrownBy(() -> FleetOptions.builder(FleetAction.VERIFY).dryRun(true).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("verify writes nothing");
        assertThatThrownBy(() -> FleetOptions.builder(FleetAction.REWRAP).includeUnencrypted(true).build())
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("migrate only");
        assertThatThrownBy(() -> FleetOptions.builder(FleetAction.MIGRATE).concurrency(0))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FleetOptions.builder(FleetAction.MIGRATE).concurrency(257))
            .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void inventory_countsPerProtocolAndKeyId_andMerges() {
        FleetInventory a = new FleetInventory();
        a.addEncrypted("2.0", "k1");
        a.addEncrypted("2.0", "k1");
        a.addEncrypted("1.0", "k0");
        a.addUnencrypted();
        FleetInventory b = new FleetInventory();
        b.addEncrypted("2.0", "k1");
        b.addMalformed();

        a.add(b);

        assertThat(a.encrypted()).containsExactly(java.util.Map.entry(new EncryptionState("1.0", "k0"), 1L),
            java.util.Map.entry(new EncryptionState("2.0", "k1"), 3L));
        assertThat(a.unencrypted()).isEqualTo(1);
        assertThat(a.malformed()).isEqualTo(1);
        assertThat(a.total()).isEqualTo(6);
    }
}
