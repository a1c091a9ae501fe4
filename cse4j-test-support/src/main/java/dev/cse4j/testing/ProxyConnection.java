package dev.cse4j.testing;

import dev.cse4j.testing.FaultRule.Direction;
import dev.cse4j.testing.HttpRequestFramer.RequestHead;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * One client connection through a {@link FaultProxy} and its connection to the server: two pumps (client to
 * server, framed into HTTP requests; server to client) that forward bytes as the {@link RuleBook} allows and carry
 * out the faults it fires.
 */
final class ProxyConnection {

    private static final int BUFFER = 64 * 1024;
    /** Slices per second when throttled, so a slow connection trickles instead of sending bursts. */
    private static final int SLICES_PER_SECOND = 20;

    private final Socket client;
    private final Socket server;
    private final RuleBook rules;
    private final Object clientWrites = new Object();
    private final AtomicBoolean closed = new AtomicBoolean();
    private final AtomicInteger openHalves = new AtomicInteger(2);

    ProxyConnection(Socket client, Socket server, RuleBook rules) {
        this.client = client;
        this.server = server;
        this.rules = rules;
    }

    /** Thrown inside a pump when a fault ended the connection. */
    private static final class Ended extends IOException {
        Ended() {
            super("ended by a fault rule");
        }
    }

    /** Forwards client bytes to the server, request by request, until the client closes its side or a fault. */
    void pumpUpstream() {
        try {
            Upstream upstream = new Upstream();
            HttpRequestFramer framer = new HttpRequestFramer(upstream);
            InputStream in = client.getInputStream();
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                framer.feed(buffer, 0, n);
            }
            server.shutdownOutput();
            halfDone();
        } catch (IOException | RuntimeException e) {
            close();
        }
    }

    /** Forwards server bytes to the client until the server closes its side or a fault. */
    void pumpDownstream() {
        try {
            InputStream in = server.getInputStream();
            byte[] buffer = new byte[BUFFER];
            int n;
            while ((n = in.read(buffer)) >= 0) {
                forward(Direction.DOWNSTREAM, buffer, 0, n);
            }
            synchronized (clientWrites) {
                client.shutdownOutput();
            }
            halfDone();
        } catch (IOException | InterruptedException | RuntimeException e) {
            if (e instanceof InterruptedException) {
                Thread.currentThread().interrupt();
            }
            close();
        }
    }

    boolean isOpen() {
        return !closed.get();
    }

    /** Closes both sockets (FIN where the stack can). Idempotent. */
    void close() {
        end(false);
    }

    /** Resets both sockets (RST). */
    void reset() {
        end(true);
    }

    private void end(boolean reset) {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        for (Socket socket : new Socket[] {client, server}) {
            try {
                if (reset) {
                    socket.setSoLinger(true, 0);
                } else if (!socket.isOutputShutdown()) {
                    socket.shutdownOutput();
                }
            } catch (IOException alreadyGone) {
                // the socket is closed or broken already; closing it below is all that is left
            }
            try {
                socket.close();
            } catch (IOException ignored) {
                // closing a socket only fails if it is already broken; it is released either way
            }
        }
        rules.wakeUp();
    }

    private void halfDone() {
        if (openHalves.decrementAndGet() == 0) {
            close();
        }
    }

    private void forward(Direction direction, byte[] buffer, int offset, int length)
        throws IOException, InterruptedException {
        int position = offset;
        int left = length;
        while (left > 0) {
            RuleBook.Step step = rules.next(direction, left);
            write(direction, buffer, position, step.bytes(), step.bytesPerSecond());
            position += step.bytes();
            left -= step.bytes();
            if (step.fire() != null) {
                act(step.fire());
            }
        }
    }

    private void act(FaultRule rule) throws IOException, InterruptedException {
        switch (rule.action()) {
            case RESET -> {
                reset();
                throw new Ended();
            }
            case TRUNCATE -> {
                close();
                throw new Ended();
            }
            case STALL -> {
                if (!rules.stall(rule, this::isOpen)) {
                    close();
                    throw new Ended();
                }
            }
            default -> throw new IllegalStateException("a " + rule.action() + " rule does not act here: " + rule);
        }
    }

    private void write(Direction direction, byte[] buffer, int offset, int length, int bytesPerSecond)
        throws IOException {
        if (length == 0) {
            return;
        }
        Socket to = direction == Direction.UPSTREAM ? server : client;
        OutputStream out = to.getOutputStream();
        int slice = bytesPerSecond == 0 ? length : Math.max(1, bytesPerSecond / SLICES_PER_SECOND);
        for (int done = 0; done < length; done += slice) {
            int n = Math.min(slice, length - done);
            if (direction == Direction.UPSTREAM) {
                out.write(buffer, offset + done, n);
            } else {
                synchronized (clientWrites) {
                    out.write(buffer, offset + done, n);
                }
            }
            if (bytesPerSecond > 0) {
                long nanos = n * 1_000_000_000L / bytesPerSecond;
                try {
                    Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Ended();
                }
            }
        }
    }

    /** Acts on the client's requests as the framer finds them. */
    private final class Upstream implements HttpRequestFramer.Listener {
        /** The rule answering the current request after its body, or null when the request is forwarded. */
        private FaultRule answering;

        @Override
        public void head(RequestHead head, byte[] bytes) throws IOException {
            FaultRule rule = rules.request(head.method(), head.target());
            if (rule == null) {
                forwardUpstream(bytes, 0, bytes.length);
                return;
            }
            if (rule.action() != FaultRule.Action.RESPOND) {
                try {
                    act(rule); // a reset or truncate ends here; a stall returns when released
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                    throw new Ended();
                }
                forwardUpstream(bytes, 0, bytes.length);
                return;
            }
            answering = rule;
            if (head.expectsContinue()) {
                // the client waits for "100 Continue" before sending the body: answer now and end it
                respond(rule.status());
                close();
                throw new Ended();
            }
        }

        @Override
        public void body(byte[] buffer, int offset, int length) throws IOException {
            if (answering == null) {
                forwardUpstream(buffer, offset, length);
            }
        }

        @Override
        public void end() throws IOException {
            if (answering != null) {
                int status = answering.status();
                answering = null;
                respond(status);
            }
        }

        private void forwardUpstream(byte[] buffer, int offset, int length) throws IOException {
            try {
                forward(Direction.UPSTREAM, buffer, offset, length);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new Ended();
            }
        }
    }

    private void respond(int status) throws IOException {
        String response = "HTTP/1.1 " + status + " " + reason(status) + "\r\n"
            + "Content-Length: 0\r\n"
            + (errorCode(status) == null ? "" : "x-ms-error-code: " + errorCode(status) + "\r\n")
            + "x-ms-request-id: cse4j-fault-proxy\r\n"
            + "Server: cse4j-FaultProxy\r\n"
            + "Date: " + DateTimeFormatter.RFC_1123_DATE_TIME.format(ZonedDateTime.now(ZoneOffset.UTC)) + "\r\n"
            + "\r\n";
        synchronized (clientWrites) {
            OutputStream out = client.getOutputStream();
            out.write(response.getBytes(StandardCharsets.ISO_8859_1));
            out.flush();
        }
    }

    private static String reason(int status) {
        return switch (status) {
            case 400 -> "Bad Request";
            case 404 -> "Not Found";
            case 408 -> "Request Timeout";
            case 409 -> "Conflict";
            case 429 -> "Too Many Requests";
            case 500 -> "Internal Server Error";
            case 502 -> "Bad Gateway";
            case 503 -> "Service Unavailable";
            case 504 -> "Gateway Timeout";
            default -> "Status " + status;
        };
    }

    private static String errorCode(int status) {
        return switch (status) {
            case 500 -> "InternalError";
            case 503 -> "ServerBusy";
            case 408, 504 -> "OperationTimedOut";
            default -> null;
        };
    }
}
