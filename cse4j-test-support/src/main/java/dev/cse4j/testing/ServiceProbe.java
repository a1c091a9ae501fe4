package dev.cse4j.testing;

import java.io.IOException;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;

/**
 * Asks a loopback port whether Azurite answers on it: any HTTP status will do, as long as the {@code Server}
 * header names Azurite (so a foreign server that took the port does not count).
 */
final class ServiceProbe {

    private static final int CONNECT_TIMEOUT_MILLIS = 1_000;
    private static final int READ_TIMEOUT_MILLIS = 2_000;

    private ServiceProbe() {
    }

    /** @return whether an Azurite service answered an HTTP GET on {@code port} */
    static boolean answersAsAzurite(int port) {
        HttpURLConnection connection = null;
        try {
            connection = (HttpURLConnection) URI.create("http://" + LoopbackPorts.HOST + ":" + port + "/").toURL()
                .openConnection(Proxy.NO_PROXY);
            connection.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            connection.setReadTimeout(READ_TIMEOUT_MILLIS);
            connection.setUseCaches(false);
            connection.setRequestProperty("Connection", "close");
            connection.getResponseCode();
            String server = connection.getHeaderField("Server");
            return server != null && server.startsWith("Azurite");
        } catch (IOException e) {
            return false;
        } finally {
            if (connection != null) {
                connection.disconnect();
            }
        }
    }
}
