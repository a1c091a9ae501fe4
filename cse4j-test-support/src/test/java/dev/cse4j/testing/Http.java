package dev.cse4j.testing;

import java.io.IOException;
import java.net.ConnectException;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.Socket;
import java.net.URI;

/** Plain loopback HTTP and TCP checks for the tests. */
final class Http {

    /** What a GET on {@code /} returned. */
    record Answer(int status, String server) {
    }

    private Http() {
    }

    static Answer get(int port) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/").toURL()
            .openConnection(Proxy.NO_PROXY);
        connection.setConnectTimeout(2_000);
        connection.setReadTimeout(5_000);
        connection.setRequestProperty("Connection", "close");
        try {
            return new Answer(connection.getResponseCode(), connection.getHeaderField("Server"));
        } finally {
            connection.disconnect();
        }
    }

    static boolean refusesConnections(int port) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", port), 2_000);
            return false;
        } catch (ConnectException refused) {
            return true;
        }
    }
}
