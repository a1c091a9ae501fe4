package dev.cse4j.testing;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.sun.net.httpserver.HttpServer;
import dev.cse4j.testing.FaultRule.Direction;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.InetSocketAddress;
import java.net.Proxy;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class FaultProxyTest {

    private static HttpServer server;
    private static final List<String> SERVED = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer() throws IOException {
        server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 50);
        server.setExecutor(Executors.newFixedThreadPool(8));
        server.createContext("/", exchange -> {
            byte[] body = exchange.getRequestBody().readAllBytes();
            SERVED.add(exchange.getRequestMethod() + " " + exchange.getRequestURI());
            String path = exchange.getRequestURI().getPath();
            byte[] answer = path.startsWith("/data/") ? TestData.random(Integer.parseInt(path.substring(6)), 7) : body;
            exchange.sendResponseHeaders(200, answer.length == 0 ? -1 : answer.length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer);
            }
        });
        server.start();
    }

    @AfterAll
    static void stopServer() {
        server.stop(0);
        ((ExecutorService) server.getExecutor()).shutdownNow();
    }

    @BeforeEach
    void forget() {
        SERVED.clear();
    }

    private static int serverPort() {
        return server.getAddress().getPort();
    }

    @Test
    void noRules_forwardsBothWaysByteExact_andRecordsTheRequests() throws Exception {
        byte[] body = TestData.random(100_000, 1);
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            assertThat(post(proxy.port(), "/echo", body)).isEqualTo(body);
            assertThat(get(proxy.port(), "/data/5000")).isEqualTo(TestData.random(5000, 7));

            assertThat(proxy.requests()).containsExactly("POST /echo", "GET /data/5000");
            assertThat(SERVED).containsExactly("POST /echo", "GET /data/5000");
            assertThat(proxy.forwarded(Direction.UPSTREAM)).isGreaterThan(100_000);
            assertThat(proxy.forwarded(Direction.DOWNSTREAM)).isGreaterThan(105_000);
            assertThat(proxy.connectionsAccepted()).isBetween(1, 2);
        }
    }

    @Test
    void upstreamReset_afterNBytes_serverGetsExactlyThoseBytes_andClientSeesTheConnectionEnd() throws Exception {
        byte[] request = RawHttp.request("PUT", "/blob", TestData.random(20_000, 2));
        try (RecordingTarget target = new RecordingTarget(); FaultProxy proxy = FaultProxy.start(target.port())) {
            FaultRule cut = proxy.add(FaultRule.upstream().afterBytes(5_000).reset());
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(request);
                assertThatThrownBy(() -> client.read(true)).isInstanceOf(IOException.class);
            }
            assertThat(target.receivedBy(0)).isEqualTo(Arrays.copyOf(request, 5_000));
            assertThat(cut.firings()).isEqualTo(1);
            assertThat(proxy.forwarded(Direction.UPSTREAM)).isEqualTo(5_000);
        }
    }

    @Test
    void upstreamCount_spansConnections_soTheCutCanLandInALaterRequest() throws Exception {
        byte[] first = RawHttp.request("PUT", "/a", TestData.random(1_000, 3));
        byte[] second = RawHttp.request("PUT", "/b", TestData.random(1_000, 4));
        try (RecordingTarget target = new RecordingTarget(); FaultProxy proxy = FaultProxy.start(target.port())) {
            FaultRule cut = proxy.add(FaultRule.upstream().afterBytes(first.length + 10).truncate());
            try (RawHttp one = new RawHttp(proxy.port())) {
                one.send(first);
                one.socket().shutdownOutput();
                assertThat(target.receivedBy(0)).isEqualTo(first);
            }
            try (RawHttp two = new RawHttp(proxy.port())) {
                two.send(second);
                assertThat(two.readToEnd()).isEmpty();
            }
            assertThat(target.receivedBy(1)).isEqualTo(Arrays.copyOf(second, 10));
            assertThat(cut.firings()).isEqualTo(1);
        }
    }

    @Test
    void downstreamTruncate_afterNBytes_clientGetsExactlyThoseBytesThenEndOfStream() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            byte[] whole;
            try (RawHttp client = new RawHttp(proxy.port())) {
                RawHttp.Response response = client.exchange("GET", "/data/50000", null);
                whole = response.body();
                assertThat(whole).hasSize(50_000);
            }
            long before = proxy.forwarded(Direction.DOWNSTREAM);
            FaultRule cut = proxy.add(FaultRule.downstream().afterBytes(3_000).truncate());
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(RawHttp.request("GET", "/data/50000", null));
                byte[] got = client.readToEnd();
                assertThat(got).hasSize(3_000);
                String text = new String(got, StandardCharsets.ISO_8859_1);
                assertThat(text).startsWith("HTTP/1.1 200");
                int bodyStart = text.indexOf("\r\n\r\n") + 4;
                assertThat(Arrays.copyOfRange(got, bodyStart, got.length))
                    .isEqualTo(Arrays.copyOf(whole, 3_000 - bodyStart));
            }
            assertThat(cut.firings()).isEqualTo(1);
            assertThat(proxy.forwarded(Direction.DOWNSTREAM) - before).isEqualTo(3_000);
        }
    }

    @Test
    void cutPastTheEndOfTheTraffic_neverFires() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule cut = proxy.add(FaultRule.downstream().afterBytes(1_000_000).reset());
            assertThat(get(proxy.port(), "/data/1000")).hasSize(1_000);
            assertThat(cut.firings()).isZero();
        }
    }

    @Test
    void downstreamStall_holdsTheRestBack_untilReleased() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule stall = proxy.add(FaultRule.downstream().afterBytes(2_000).stall());
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(RawHttp.request("GET", "/data/20000", null));
                InputStream in = client.socket().getInputStream();
                byte[] first = in.readNBytes(2_000);
                assertThat(first).hasSize(2_000);
                client.socket().setSoTimeout(300);
                assertThatThrownBy(in::read).isInstanceOf(SocketTimeoutException.class);
                assertThat(stall.firings()).isEqualTo(1);

                proxy.releaseStalls();
                client.socket().setSoTimeout(10_000);
                String head = new String(first, StandardCharsets.ISO_8859_1);
                int bodyStart = head.indexOf("\r\n\r\n") + 4;
                byte[] rest = in.readNBytes(20_000 - (2_000 - bodyStart));
                assertThat(rest).hasSize(20_000 - (2_000 - bodyStart));
            }
        }
    }

    @Test
    void stallWithDuration_resumesByItself() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule stall = proxy.add(FaultRule.downstream().stall(Duration.ofMillis(200)));
            assertThat(get(proxy.port(), "/data/3000")).isEqualTo(TestData.random(3000, 7));
            assertThat(stall.firings()).isEqualTo(1);
        }
    }

    @Test
    void slow_forwardsNoFasterThanTheRate() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule slow = proxy.add(FaultRule.downstream().slow(8_000));
            long started = System.nanoTime();
            assertThat(get(proxy.port(), "/data/4000")).isEqualTo(TestData.random(4000, 7));
            // a lower bound the throttle guarantees (it sleeps per slice), not a speed measurement
            assertThat(Duration.ofNanos(System.nanoTime() - started)).isGreaterThanOrEqualTo(Duration.ofMillis(450));
            assertThat(slow.firings()).isEqualTo(1);
        }
    }

    @Test
    void respond503_forTwoRequests_thenForwards_onTheSameKeptAliveConnection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule busy = proxy.add(FaultRule.requests().times(2).respond(503));
            byte[] body = TestData.random(10_000, 5);
            try (RawHttp client = new RawHttp(proxy.port())) {
                RawHttp.Response first = client.exchange("PUT", "/x", body);
                RawHttp.Response second = client.exchange("PUT", "/x", body);
                RawHttp.Response third = client.exchange("PUT", "/x", body);

                assertThat(first.status()).isEqualTo(503);
                assertThat(first.header("x-ms-error-code")).isEqualTo("ServerBusy");
                assertThat(first.header("Content-Length")).isEqualTo("0");
                assertThat(second.status()).isEqualTo(503);
                assertThat(third.status()).isEqualTo(200);
                assertThat(third.body()).isEqualTo(body);
            }
            assertThat(busy.firings()).isEqualTo(2);
            assertThat(SERVED).containsExactly("PUT /x");
            assertThat(proxy.requests()).containsExactly("PUT /x", "PUT /x", "PUT /x");
            assertThat(proxy.connectionsAccepted()).isEqualTo(1);
        }
    }

    @Test
    void requestRule_matchesMethodAndTarget_afterSkipping() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule rule = proxy.add(FaultRule.requests().method("get").targetMatching("b=2").skip(1).respond(500));
            try (RawHttp client = new RawHttp(proxy.port())) {
                assertThat(client.exchange("GET", "/x?b=1", null).status()).isEqualTo(200);
                assertThat(client.exchange("PUT", "/x?b=2", new byte[1]).status()).isEqualTo(200);
                assertThat(client.exchange("GET", "/x?b=2", null).status()).isEqualTo(200);
                RawHttp.Response failed = client.exchange("GET", "/x?b=2", null);
                assertThat(failed.status()).isEqualTo(500);
                assertThat(failed.header("x-ms-error-code")).isEqualTo("InternalError");
                assertThat(client.exchange("GET", "/x?b=2", null).status()).isEqualTo(200);
            }
            assertThat(rule.firings()).isEqualTo(1);
        }
    }

    @Test
    void requestReset_neverReachesTheServer() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule reset = proxy.add(FaultRule.requests().method("DELETE").reset());
            try (RawHttp client = new RawHttp(proxy.port())) {
                assertThat(client.exchange("GET", "/before", null).status()).isEqualTo(200);
                assertThatThrownBy(() -> client.exchange("DELETE", "/x", null)).isInstanceOf(IOException.class);
            }
            assertThat(reset.firings()).isEqualTo(1);
            assertThat(proxy.requests()).containsExactly("GET /before", "DELETE /x");
            assertThat(SERVED).containsExactly("GET /before");
        }
    }

    @Test
    void requestStall_holdsTheRequestBack_untilReleased() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            proxy.add(FaultRule.requests().method("POST").stall());
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(RawHttp.request("POST", "/held", new byte[] {1, 2, 3}));
                client.socket().setSoTimeout(300);
                assertThatThrownBy(() -> client.read(true)).isInstanceOf(SocketTimeoutException.class);
                assertThat(SERVED).isEmpty();

                proxy.releaseStalls();
                client.socket().setSoTimeout(10_000);
                assertThat(client.read(true).body()).containsExactly(1, 2, 3);
            }
        }
    }

    @Test
    void chunkedRequest_isFramed_soTheFollowingRequestIsMatched() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            proxy.add(FaultRule.requests().method("GET").respond(503));
            String chunked = "POST /chunked HTTP/1.1\r\nHost: 127.0.0.1\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "5\r\nhello\r\n6\r\n world\r\n0\r\n\r\n";
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(chunked.getBytes(StandardCharsets.ISO_8859_1));
                RawHttp.Response echoed = client.read(true);
                assertThat(new String(echoed.body(), StandardCharsets.ISO_8859_1)).isEqualTo("hello world");
                assertThat(client.exchange("GET", "/after", null).status()).isEqualTo(503);
            }
            assertThat(SERVED).containsExactly("POST /chunked");
        }
    }

    @Test
    void respond_toARequestExpectingContinue_answersAtOnceAndCloses() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            proxy.add(FaultRule.requests().respond(503));
            String head = "PUT /big HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Length: 100000\r\nExpect: 100-continue\r\n\r\n";
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(head.getBytes(StandardCharsets.ISO_8859_1));
                assertThat(client.read(true).status()).isEqualTo(503);
                assertThat(client.readToEnd()).isEmpty();
            }
            assertThat(SERVED).isEmpty();
        }
    }

    @Test
    void nonHttpBytes_passThroughUnheld() throws Exception {
        byte[] binary = TestData.random(3_000, 6);
        binary[0] = 0;
        try (RecordingTarget target = new RecordingTarget(); FaultProxy proxy = FaultProxy.start(target.port())) {
            proxy.add(FaultRule.upstream().afterBytes(1_000).truncate());
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(binary);
                assertThat(client.readToEnd()).isEmpty();
            }
            assertThat(target.receivedBy(0)).isEqualTo(Arrays.copyOf(binary, 1_000));
        }
    }

    @Test
    void manyConcurrentConnections_areForwardedIntact() throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            List<Future<Boolean>> results = new ArrayList<>();
            for (int i = 0; i < 40; i++) {
                byte[] body = TestData.random(10_000 + i * 997, i);
                results.add(pool.submit(() -> Arrays.equals(post(proxy.port(), "/echo", body), body)));
            }
            for (Future<Boolean> result : results) {
                assertThat(result.get()).isTrue();
            }
            assertThat(proxy.requests()).hasSize(40);
            long bodies = 0;
            for (int i = 0; i < 40; i++) {
                bodies += 10_000 + i * 997;
            }
            assertThat(proxy.forwarded(Direction.UPSTREAM)).isGreaterThan(bodies);
            assertThat(proxy.forwarded(Direction.DOWNSTREAM)).isGreaterThan(bodies);
        } finally {
            pool.shutdownNow();
        }
    }

    @Test
    void alwaysRule_outlivesTheFirstConnection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            FaultRule outage = proxy.add(FaultRule.downstream().times(FaultRule.ALWAYS).reset());
            for (int i = 0; i < 3; i++) {
                assertThatThrownBy(() -> get(proxy.port(), "/data/10")).isInstanceOf(IOException.class);
            }
            assertThat(outage.firings()).isGreaterThanOrEqualTo(3);
            proxy.clear();
            assertThat(get(proxy.port(), "/data/10")).hasSize(10);
        }
    }

    @Test
    void targetDown_resetsTheClientsConnection() throws Exception {
        int closedPort = LoopbackPorts.pickFree(1)[0];
        try (FaultProxy proxy = FaultProxy.start(closedPort); RawHttp client = new RawHttp(proxy.port())) {
            client.send(RawHttp.request("GET", "/", null));
            assertThatThrownBy(() -> client.read(true)).isInstanceOf(IOException.class);
        }
    }

    @Test
    void resetConnections_cutsEveryOpenConnection() throws Exception {
        try (FaultProxy proxy = FaultProxy.start(serverPort())) {
            proxy.add(FaultRule.downstream().afterBytes(100).stall());
            try (RawHttp client = new RawHttp(proxy.port())) {
                client.send(RawHttp.request("GET", "/data/1000", null));
                assertThat(client.socket().getInputStream().readNBytes(100)).hasSize(100);
                proxy.resetConnections();
                assertThatThrownBy(() -> client.socket().getInputStream().readAllBytes())
                    .isInstanceOf(IOException.class);
            }
        }
    }

    @Test
    void close_releasesStalls_endsConnections_freesThePort_andIsIdempotent() throws Exception {
        FaultProxy proxy = FaultProxy.start(serverPort());
        proxy.add(FaultRule.downstream().afterBytes(10).stall());
        RawHttp client = new RawHttp(proxy.port());
        client.send(RawHttp.request("GET", "/data/1000", null));
        assertThat(client.socket().getInputStream().readNBytes(10)).hasSize(10);

        proxy.close();
        proxy.close();

        assertThat(proxy.connectionsOpen()).isZero();
        assertThat(client.socket().getInputStream().readAllBytes()).isEmpty();
        client.close();
        assertThat(Http.refusesConnections(proxy.port())).isTrue();
        assertThat(proxy.toString()).endsWith(", closed]");
    }

    @Test
    void rules_refuseActionsOfTheOtherKind_andBeingAddedTwice() {
        assertThatThrownBy(() -> FaultRule.upstream().respond(503))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("FaultRule.requests()");
        assertThatThrownBy(() -> FaultRule.requests().slow(10))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("FaultRule.upstream()");
        assertThatThrownBy(() -> FaultRule.requests().afterBytes(10))
            .isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FaultRule.downstream().method("GET")).isInstanceOf(IllegalStateException.class);
        assertThatThrownBy(() -> FaultRule.requests().respond(99)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> FaultRule.upstream().times(0)).isInstanceOf(IllegalArgumentException.class);
        FaultRule rule = FaultRule.requests().respond(503);
        try (FaultProxy one = FaultProxy.start(serverPort()); FaultProxy two = FaultProxy.start(serverPort())) {
            one.add(rule);
            assertThatThrownBy(() -> two.add(rule)).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("already added");
        }
        assertThat(rule.toString()).contains("requests", "respond 503");
    }

    private static byte[] post(int port, String path, byte[] body) throws IOException {
        HttpURLConnection connection = open(port, path);
        connection.setRequestMethod("POST");
        connection.setDoOutput(true);
        connection.setFixedLengthStreamingMode(body.length);
        try (OutputStream out = connection.getOutputStream()) {
            out.write(body);
        }
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static byte[] get(int port, String path) throws IOException {
        HttpURLConnection connection = open(port, path);
        try (InputStream in = connection.getInputStream()) {
            return in.readAllBytes();
        }
    }

    private static HttpURLConnection open(int port, String path) throws IOException {
        HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + path).toURL()
            .openConnection(Proxy.NO_PROXY);
        connection.setConnectTimeout(5_000);
        connection.setReadTimeout(10_000);
        return connection;
    }
}
