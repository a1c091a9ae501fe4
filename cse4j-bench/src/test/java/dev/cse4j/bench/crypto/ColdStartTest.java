package dev.cse4j.bench.crypto;

import org.junit.jupiter.api.Test;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

class ColdStartTest {
    @Test
    void main_runsAFreshJvm_andReportsMegabytesPerSecondPer32MiB() throws Exception {
        PrintStream original = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
        try {
            ColdStart.main(new String[] {"--providers", "jdk", "--impls", "CSE4J", "--ops", "decrypt", "--mib", "32",
                "--runs", "1"});
        } finally {
            System.setOut(original);
        }

        String report = captured.toString(StandardCharsets.UTF_8);
        assertThat(report).containsPattern("jdk +CSE4J +decrypt: first 32 MiB +\\d+ MB/s \\( *\\d+ per thread\\) \\| "
            + "per 32 MiB: +\\d+");
    }
}
