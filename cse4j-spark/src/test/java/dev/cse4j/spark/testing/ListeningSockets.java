package dev.cse4j.spark.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The TCP sockets a process listens on, read from Linux's {@code /proc} (socket inodes of {@code /proc/PID/fd}
 * matched against {@code /proc/net/tcp} and {@code tcp6}), as {@code address:port} strings: {@code 127.0.0.1:4040}
 * or {@code [::]:8080}. For asserting that nothing a test starts listens beyond loopback.
 */
public final class ListeningSockets {

    private static final String LISTEN = "0A";

    private ListeningSockets() {
    }

    /** @return the listening sockets of process {@code pid} (empty if it has exited) */
    public static List<String> of(long pid) {
        Map<String, String> listeningByInode = new HashMap<>();
        readTable(Path.of("/proc/net/tcp"), false, listeningByInode);
        readTable(Path.of("/proc/net/tcp6"), true, listeningByInode);
        List<String> sockets = new ArrayList<>();
        try (Stream<Path> descriptors = Files.list(Path.of("/proc", Long.toString(pid), "fd"))) {
            descriptors.forEach(descriptor -> {
                try {
                    String target = Files.readSymbolicLink(descriptor).toString();
                    if (target.startsWith("socket:[")) {
                        String address = listeningByInode.get(target.substring(8, target.length() - 1));
                        if (address != null) {
                            sockets.add(address);
                        }
                    }
                } catch (IOException closedMeanwhile) {
                    // the descriptor was closed while we listed them
                }
            });
        } catch (NoSuchFileException exited) {
            return List.of();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return sockets;
    }

    /** @return whether {@code socket} (from {@link #of}) is on a loopback address */
    public static boolean isLoopback(String socket) {
        return socket.startsWith("127.") || socket.startsWith("[::1]") || socket.startsWith("[::ffff:127.");
    }

    private static void readTable(Path table, boolean ipv6, Map<String, String> listeningByInode) {
        try {
            List<String> lines = Files.readAllLines(table);
            for (String line : lines.subList(1, lines.size())) {
                String[] fields = line.trim().split("\\s+");
                if (fields[3].equals(LISTEN)) {
                    listeningByInode.put(fields[9], address(fields[1], ipv6));
                }
            }
        } catch (NoSuchFileException absent) {
            // no IPv6 on this machine
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Decodes "0100007F:1F90" (little-endian words) into "127.0.0.1:8080", or the IPv6 form in brackets. */
    private static String address(String hexAddressAndPort, boolean ipv6) {
        String[] parts = hexAddressAndPort.split(":");
        int port = Integer.parseInt(parts[1], 16);
        String hex = parts[0];
        byte[] bytes = new byte[hex.length() / 2];
        for (int word = 0; word < bytes.length / 4; word++) {
            for (int i = 0; i < 4; i++) {
                int at = word * 8 + (3 - i) * 2;
                bytes[word * 4 + i] = (byte) Integer.parseInt(hex.substring(at, at + 2), 16);
            }
        }
        try {
            java.net.InetAddress address = java.net.InetAddress.getByAddress(bytes);
            String host = address.getHostAddress();
            if (!ipv6) {
                return host + ":" + port;
            }
            if (address instanceof java.net.Inet4Address) {
                return "[::ffff:" + host + "]:" + port;
            }
            return "[" + (address.isLoopbackAddress() ? "::1" : address.isAnyLocalAddress() ? "::" : host) + "]:"
                + port;
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }
}
