package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.cse4j.testing.HttpRequestFramer.RequestHead;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class HttpRequestFramerTest {

    private static final String STREAM = "\r\nPUT /a?comp=block HTTP/1.1\r\nContent-Length: 5\r\n\r\nhello"
        + "POST /b HTTP/1.1\r\ntransfer-encoding: chunked\r\nExpect: 100-continue\r\n\r\n3;ext=1\r\nabc\r\n0\r\nX: y\r\n\r\n"
        + "GET /c HTTP/1.1\r\nHost: h\r\n\r\n";

    /** Records what the framer reports, and every byte it hands on, in order. */
    private static final class Events implements HttpRequestFramer.Listener {
        final List<String> events = new ArrayList<>();
        final ByteArrayOutputStream passed = new ByteArrayOutputStream();

        @Override
        public void head(RequestHead head, byte[] bytes) {
            events.add("head " + head.line() + (head.expectsContinue() ? " (continue)" : ""));
            passed.writeBytes(bytes);
        }

        @Override
        public void body(byte[] buffer, int offset, int length) {
            passed.write(buffer, offset, length);
        }

        @Override
        public void end() {
            events.add("end");
        }
    }

    @Test
    void feed_inPiecesOfAnySize_findsEachRequestAndItsEnd_andHandsOnEveryByte() throws Exception {
        byte[] bytes = STREAM.getBytes(StandardCharsets.ISO_8859_1);
        for (int piece : new int[] {bytes.length, 1, 7}) {
            Events events = new Events();
            HttpRequestFramer framer = new HttpRequestFramer(events);
            for (int i = 0; i < bytes.length; i += piece) {
                framer.feed(bytes, i, Math.min(piece, bytes.length - i));
            }
            assertThat(events.events).as("pieces of %d", piece).containsExactly("head PUT /a?comp=block", "end",
                "head POST /b (continue)", "end", "head GET /c", "end");
            // the leading empty line is dropped, everything else is handed on in order
            assertThat(events.passed.toString(StandardCharsets.ISO_8859_1)).isEqualTo(STREAM.substring(2));
        }
    }

    @Test
    void feed_binaryStream_passesItOnAtOnce() throws Exception {
        Events events = new Events();
        HttpRequestFramer framer = new HttpRequestFramer(events);
        framer.feed(new byte[] {0x16, 3, 1}, 0, 3);
        assertThat(events.passed.toByteArray()).containsExactly(0x16, 3, 1);
        assertThat(events.events).isEmpty();
    }

    @Test
    void feed_badRequestLineOrLength_passesTheRestThroughRaw() throws Exception {
        for (String bad : new String[] {"GET /x FTP/1.0\r\n\r\nrest", "GET /x HTTP/1.1\r\nContent-Length: -1\r\n\r\nrest",
            "GET /x HTTP/1.1\r\nContent-Length: x\r\n\r\nrest"}) {
            Events events = new Events();
            byte[] bytes = bad.getBytes(StandardCharsets.ISO_8859_1);
            new HttpRequestFramer(events).feed(bytes, 0, bytes.length);
            assertThat(events.events).as(bad).isEmpty();
            assertThat(events.passed.toString(StandardCharsets.ISO_8859_1)).isEqualTo(bad);
        }
    }
}
