package dev.cse4j.testing;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

/**
 * Splits the client-to-server byte stream of one connection into HTTP/1.1 requests, so that {@link FaultProxy} can
 * count requests and act on one before the server sees it. Understands request heads, {@code Content-Length} and
 * {@code chunked} bodies (with trailers). A stream that does not look like HTTP/1.x (a first byte that cannot start
 * a method, a bad request line, a head over {@value #MAX_HEAD} bytes, an unparsable length) is passed through as raw
 * bytes for the rest of the connection; a binary stream is recognised at its first byte, so it is not held back.
 * Not thread-safe: one framer per connection, fed by one thread.
 */
final class HttpRequestFramer {

    /** Largest request head the framer buffers before it gives up and passes the connection through. */
    static final int MAX_HEAD = 64 * 1024;
    private static final int MAX_CHUNK_LINE = 4 * 1024;
    private static final int MAX_METHOD = 24;
    private static final int CRLF = 0x0d0a;
    private static final int CRLF_CRLF = 0x0d0a0d0a;

    /** What the framer found, in stream order. */
    interface Listener {
        /** A complete request head (request line, headers and the empty line), as received. */
        void head(RequestHead head, byte[] bytes) throws IOException;

        /** Body bytes of the current request, including chunked framing; or raw bytes of a non-HTTP stream. */
        void body(byte[] buffer, int offset, int length) throws IOException;

        /** The current request's body (if any) is complete. */
        void end() throws IOException;
    }

    /** A parsed request head. */
    record RequestHead(String method, String target, boolean expectsContinue) {
        /** @return {@code METHOD target}, as {@link FaultProxy#requests()} records it */
        String line() {
            return method + " " + target;
        }
    }

    private enum State { HEAD, FIXED_BODY, CHUNK_LINE, CHUNK_DATA, CHUNK_DATA_END, TRAILER, RAW }

    private final Listener listener;
    private final ByteArrayOutputStream pending = new ByteArrayOutputStream();
    private State state = State.HEAD;
    private long remaining;
    /** The last four bytes buffered in {@link #pending}, to find line ends without rescanning. */
    private int tail;
    /** Whether the current head's method has ended (its first space seen). */
    private boolean methodEnded;

    HttpRequestFramer(Listener listener) {
        this.listener = listener;
    }

    /** Feeds the next bytes received from the client. */
    void feed(byte[] buffer, int offset, int length) throws IOException {
        int position = offset;
        int end = offset + length;
        while (position < end) {
            position = step(buffer, position, end);
        }
    }

    private int step(byte[] buffer, int position, int end) throws IOException {
        switch (state) {
            case RAW -> {
                listener.body(buffer, position, end - position);
                return end;
            }
            case HEAD -> {
                return head(buffer, position, end);
            }
            case FIXED_BODY, CHUNK_DATA -> {
                int n = (int) Math.min(remaining, end - position);
                listener.body(buffer, position, n);
                remaining -= n;
                if (remaining == 0) {
                    if (state == State.FIXED_BODY) {
                        finishRequest();
                    } else {
                        state = State.CHUNK_DATA_END;
                        remaining = 2;
                    }
                }
                return position + n;
            }
            case CHUNK_DATA_END -> {
                int n = (int) Math.min(remaining, end - position);
                listener.body(buffer, position, n);
                remaining -= n;
                if (remaining == 0) {
                    state = State.CHUNK_LINE;
                }
                return position + n;
            }
            case CHUNK_LINE, TRAILER -> {
                return line(buffer, position, end);
            }
            default -> throw new IllegalStateException(state.name());
        }
    }

    private int head(byte[] buffer, int position, int end) throws IOException {
        while (position < end) {
            byte b = buffer[position++];
            pending.write(b);
            tail = (tail << 8) | (b & 0xff);
            if (tail == CRLF_CRLF) {
                byte[] head = pending.toByteArray();
                pending.reset();
                tail = 0;
                methodEnded = false;
                startRequest(head);
                return position;
            }
            if (pending.size() == 2 && (tail & 0xffff) == CRLF) {
                // an empty line before a request line is allowed (RFC 9112 section 2.2): drop it
                pending.reset();
                tail = 0;
            } else if (pending.size() > MAX_HEAD || !couldBeMethod(b)) {
                passThrough();
                return position;
            }
        }
        return end;
    }

    /** Checks the request line's first bytes as they come, so a binary stream is passed on without waiting. */
    private boolean couldBeMethod(byte b) {
        int size = pending.size();
        if (methodEnded) {
            return true;
        }
        if (b == ' ' && size > 1) {
            methodEnded = true;
            return true;
        }
        return size <= MAX_METHOD && isTokenChar(b) || b == '\r' || b == '\n';
    }

    private void startRequest(byte[] head) throws IOException {
        String text = new String(head, StandardCharsets.ISO_8859_1);
        String[] lines = text.split("\r\n");
        String[] requestLine = lines[0].split(" ", -1);
        if (requestLine.length != 3 || !requestLine[2].startsWith("HTTP/1.") || !isToken(requestLine[0])) {
            state = State.RAW;
            listener.body(head, 0, head.length);
            return;
        }
        long contentLength = 0;
        boolean chunked = false;
        boolean expectsContinue = false;
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon <= 0) {
                continue;
            }
            String name = lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT);
            String value = lines[i].substring(colon + 1).trim();
            switch (name) {
                case "content-length" -> contentLength = parseLength(value);
                case "transfer-encoding" -> chunked = value.toLowerCase(Locale.ROOT).contains("chunked");
                case "expect" -> expectsContinue = value.equalsIgnoreCase("100-continue");
                default -> {
                }
            }
        }
        if (contentLength < 0) {
            state = State.RAW;
            listener.body(head, 0, head.length);
            return;
        }
        listener.head(new RequestHead(requestLine[0], requestLine[1], expectsContinue), head);
        if (chunked) {
            state = State.CHUNK_LINE;
        } else if (contentLength > 0) {
            state = State.FIXED_BODY;
            remaining = contentLength;
        } else {
            finishRequest();
        }
    }

    private int line(byte[] buffer, int position, int end) throws IOException {
        int start = position;
        while (position < end) {
            byte b = buffer[position++];
            pending.write(b);
            tail = (tail << 8) | (b & 0xff);
            if ((tail & 0xffff) == CRLF) {
                listener.body(buffer, start, position - start);
                String line = new String(pending.toByteArray(), 0, pending.size() - 2, StandardCharsets.ISO_8859_1);
                pending.reset();
                tail = 0;
                endOfLine(line);
                return position;
            }
            if (pending.size() > MAX_CHUNK_LINE) {
                listener.body(buffer, start, position - start);
                passThrough();
                return position;
            }
        }
        listener.body(buffer, start, end - start);
        return end;
    }

    private void endOfLine(String line) throws IOException {
        if (state == State.TRAILER) {
            if (line.isEmpty()) {
                finishRequest();
            }
            return;
        }
        int extension = line.indexOf(';');
        String size = (extension < 0 ? line : line.substring(0, extension)).trim();
        long chunkSize;
        try {
            chunkSize = Long.parseLong(size, 16);
        } catch (NumberFormatException e) {
            chunkSize = -1;
        }
        if (chunkSize < 0) {
            passThrough();
        } else if (chunkSize == 0) {
            state = State.TRAILER;
        } else {
            state = State.CHUNK_DATA;
            remaining = chunkSize;
        }
    }

    private void finishRequest() throws IOException {
        state = State.HEAD;
        listener.end();
    }

    /** Gives up on framing: whatever is buffered, and everything after, goes through as raw bytes. */
    private void passThrough() throws IOException {
        byte[] buffered = pending.toByteArray();
        pending.reset();
        boolean inHead = state == State.HEAD;
        state = State.RAW;
        if (inHead) {
            listener.body(buffered, 0, buffered.length);
        }
    }

    private static long parseLength(String value) {
        try {
            return Long.parseLong(value);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static boolean isToken(String method) {
        return !method.isEmpty() && method.chars().allMatch(HttpRequestFramer::isTokenChar);
    }

    private static boolean isTokenChar(int c) {
        return c > 32 && c < 127 && "()<>@,;:\\\"/[]?={}".indexOf(c) < 0;
    }

    @Override
    public String toString() {
        return "HttpRequestFramer[" + state + ", remaining=" + remaining + "]";
    }
}
