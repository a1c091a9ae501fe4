package dev.cse4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/** An HTTP/1.1 client on one raw socket, for tests that need exact bytes and keep-alive control. */
final class RawHttp implements AutoCloseable {

    /** A response read from the socket. */
    record Response(int status, String head, byte[] body) {
        String header(String name) {
            for (String line : head.split("\r\n")) {
                int colon = line.indexOf(':');
                if (colon > 0 && line.substring(0, colon).trim().equalsIgnoreCase(name)) {
                    return line.substring(colon + 1).trim();
                }
            }
            return null;
        }
    }

    private final Socket socket;
    private final InputStream in;
    private final OutputStream out;

    RawHttp(int port) throws IOException {
        socket = new Socket();
        socket.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
        socket.setSoTimeout(10_000);
        in = socket.getInputStream();
        out = socket.getOutputStream();
    }

    Socket socket() {
        return socket;
    }

    static byte[] request(String method, String target, byte[] body) {
        String head = method + " " + target + " HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + (body == null ? "" : "Content-Length: " + body.length + "\r\n") + "\r\n";
        byte[] headBytes = head.getBytes(StandardCharsets.ISO_8859_1);
        if (body == null) {
            return headBytes;
        }
        byte[] all = new byte[headBytes.length + body.length];
        System.arraycopy(headBytes, 0, all, 0, headBytes.length);
        System.arraycopy(body, 0, all, headBytes.length, body.length);
        return all;
    }

    RawHttp send(byte[] bytes) throws IOException {
        out.write(bytes);
        out.flush();
        return this;
    }

    Response exchange(String method, String target, byte[] body) throws IOException {
        send(request(method, target, body));
        return read(!method.equals("HEAD"));
    }

    /** Reads one response with a Content-Length (or none, meaning empty). */
    Response read(boolean hasBody) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int tail = 0;
        while (tail != 0x0d0a0d0a) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("end of stream inside a response head: " + head);
            }
            head.write(b);
            tail = (tail << 8) | b;
        }
        String text = head.toString(StandardCharsets.ISO_8859_1);
        int status = Integer.parseInt(text.substring(9, 12));
        Response headOnly = new Response(status, text, new byte[0]);
        String length = headOnly.header("Content-Length");
        if (!hasBody || length == null) {
            if (headOnly.header("Transfer-Encoding") != null
                && headOnly.header("Transfer-Encoding").toLowerCase(Locale.ROOT).contains("chunked")) {
                throw new IOException("chunked responses are not supported by this test client");
            }
            return headOnly;
        }
        return new Response(status, text, in.readNBytes(Integer.parseInt(length)));
    }

    /** Reads whatever arrives until end of stream. */
    byte[] readToEnd() throws IOException {
        return in.readAllBytes();
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
