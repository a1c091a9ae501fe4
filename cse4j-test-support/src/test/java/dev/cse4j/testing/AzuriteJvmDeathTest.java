package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class AzuriteJvmDeathTest {

    @Test
    @Timeout(value = 2, unit = TimeUnit.MINUTES)
    void jvmKilledWithoutShutdownHooks_azuriteStopsByItself() throws Exception {
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process jvm = new ProcessBuilder(java.toString(), "-cp", System.getProperty("java.class.path"),
            AzuriteHoldingMain.class.getName())
            .redirectError(ProcessBuilder.Redirect.DISCARD)
            .start();
        String report;
        try (BufferedReader out = new BufferedReader(new InputStreamReader(jvm.getInputStream(), StandardCharsets.UTF_8))) {
            report = out.readLine();
        } finally {
            jvm.destroyForcibly(); // SIGKILL: no shutdown hook runs
            jvm.waitFor();
        }
        assertThat(report).as("the child JVM's report").startsWith("AZURITE ");
        long azuritePid = Long.parseLong(report.split(" ")[1]);
        int blobPort = Integer.parseInt(report.split(" ")[2]);

        ProcessHandle azurite = ProcessHandle.of(azuritePid).orElse(null);
        if (azurite != null) {
            azurite.onExit().get(30, TimeUnit.SECONDS);
        }
        assertThat(ProcessHandle.of(azuritePid).map(ProcessHandle::isAlive)).isEmpty();
        assertThat(Http.refusesConnections(blobPort)).isTrue();
    }
}
