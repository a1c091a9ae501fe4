package dev.cse4j.bench.e2e;

import dev.cse4j.keys.AesKeyWrapKey;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HexFormat;
import java.util.Locale;

/**
 * One measured transfer in a fresh JVM, started by {@link Harness}:
 * {@code TransferChild <client> <upload|download> <file> <container> <blob> <key file>}, with the connection string
 * in {@code AZURE_STORAGE_CONNECTION_STRING}. It builds the client, transfers, and prints one line
 * {@code E2E-RESULT op_ms=… cpu_ms=… peak_rss_kib=…}: the operation's wall time (client built included), then this
 * process's CPU time and peak resident set ({@code VmHWM}) from its start to the end of the operation. Any failure
 * exits non-zero with the stack trace on stderr (an {@link OutOfMemoryError} included).
 */
public final class TransferChild {
    static final String RESULT = "E2E-RESULT";
    static final String CONNECTION_STRING_VARIABLE = "AZURE_STORAGE_CONNECTION_STRING";

    private TransferChild() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 6) {
            System.err.println("usage: TransferChild <plain|microsoft|cse4j> <upload|download> <file> <container> "
                + "<blob> <key file>");
            System.exit(2);
        }
        Client client = Client.of(args[0]);
        boolean upload = switch (args[1]) {
            case "upload" -> true;
            case "download" -> false;
            default -> throw new IllegalArgumentException("upload or download, not " + args[1]);
        };
        Path file = Path.of(args[2]);
        byte[] keyBytes = HexFormat.of().parseHex(Files.readString(Path.of(args[5])).trim());
        Client.Target target = new Client.Target(System.getenv(CONNECTION_STRING_VARIABLE), args[3], args[4],
            AesKeyWrapKey.of("e2e-bench-kek", keyBytes));

        long start = System.nanoTime();
        if (upload) {
            client.upload(target, file);
        } else {
            client.download(target, file);
        }
        long opNanos = System.nanoTime() - start;
        System.out.printf(Locale.ROOT, "%s op_ms=%d cpu_ms=%d peak_rss_kib=%d%n", RESULT, opNanos / 1_000_000,
            ProcFs.selfCpuNanos() / 1_000_000, ProcFs.selfPeakRssKib());
        System.out.flush();
        // Netty's and Reactor's non-daemon threads would keep the JVM alive for a while; the work is done.
        System.exit(0);
    }
}
