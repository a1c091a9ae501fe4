package dev.cse4j.testing;

import java.time.Duration;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * One scripted fault of a {@link FaultProxy}: a trigger (a byte count in one direction, or a matching HTTP request)
 * and an action (reset, truncate, stall, slow, or answer with an HTTP status). Build one from {@link #upstream()},
 * {@link #downstream()} or {@link #requests()}, then {@link FaultProxy#add add} it:
 * <pre>{@code
 * proxy.add(FaultRule.upstream().afterBytes(10_000).reset());          // cut the client's sending at byte 10,000
 * proxy.add(FaultRule.downstream().afterBytes(5_000).stall());         // freeze the answer after 5,000 bytes
 * proxy.add(FaultRule.downstream().slow(64 * 1024));                   // 64 KiB/s per connection from the start
 * proxy.add(FaultRule.requests().method("PUT").targetMatching("comp=block").times(2).respond(503));
 * FaultRule cut = proxy.add(FaultRule.requests().method("DELETE").reset());
 * ...
 * assertThat(cut.firings()).isEqualTo(1);
 * }</pre>
 *
 * <p><b>Byte triggers</b> count the bytes the proxy forwards in their direction over all connections, from the
 * moment the rule is added; the rule fires when a byte past the count is about to be forwarded (so a count at or
 * past the end of the traffic never fires). After the first firing every further chunk in that direction fires
 * it again, on whichever connection, until it has fired {@link Trigger#times(int) times} times.
 *
 * <p><b>Request triggers</b> look at each HTTP/1.1 request head the client sends, before the server sees it; the
 * first {@link Trigger#skip(int) skip} matching requests go through, the next {@code times} fire the rule.
 *
 * <p>Rules are thread-safe; a rule belongs to at most one proxy and is added once.
 */
public final class FaultRule {

    /** {@link Trigger#times(int)} for a rule that never wears out. */
    public static final int ALWAYS = Integer.MAX_VALUE;

    /** Which way bytes flow through the proxy. */
    public enum Direction {
        /** From the client to the server (requests). */
        UPSTREAM,
        /** From the server to the client (responses). */
        DOWNSTREAM
    }

    enum Action { RESET, TRUNCATE, STALL, SLOW, RESPOND }

    private final Trigger trigger;
    private final Action action;
    private final Duration stallFor;
    private final int bytesPerSecond;
    private final int status;
    private final String description;

    private long seen;      // bytes counted since added (byte triggers); guarded by the owning RuleBook
    private int skipped;    // matching requests let through (request triggers); guarded by the owning RuleBook
    private volatile int firings;
    private Object owner;   // guarded by the owning RuleBook's claim

    private FaultRule(Trigger trigger, Action action, Duration stallFor, int bytesPerSecond, int status,
                      String description) {
        this.trigger = trigger.copy();
        this.action = action;
        this.stallFor = stallFor;
        this.bytesPerSecond = bytesPerSecond;
        this.status = status;
        this.description = this.trigger + " -> " + description;
    }

    /** @return a trigger on the bytes the client sends to the server */
    public static Trigger upstream() {
        return new Trigger(Direction.UPSTREAM);
    }

    /** @return a trigger on the bytes the server sends to the client */
    public static Trigger downstream() {
        return new Trigger(Direction.DOWNSTREAM);
    }

    /** @return a trigger on HTTP requests (any method and target unless narrowed) */
    public static Trigger requests() {
        return new Trigger(null);
    }

    /**
     * @return how many times the rule has fired so far (a slow rule counts 1 once it has started throttling), so a
     *     test can tell whether its fault happened at all
     */
    public int firings() {
        return firings;
    }

    @Override
    public String toString() {
        return "FaultRule[" + description + ", fired " + firings + "]";
    }

    Direction direction() {
        return trigger.direction;
    }

    boolean onRequests() {
        return trigger.direction == null;
    }

    Action action() {
        return action;
    }

    Duration stallFor() {
        return stallFor;
    }

    int bytesPerSecond() {
        return bytesPerSecond;
    }

    int status() {
        return status;
    }

    long afterBytes() {
        return trigger.afterBytes;
    }

    long seen() {
        return seen;
    }

    void count(long bytes) {
        seen += bytes;
    }

    boolean canFire() {
        return firings < trigger.times;
    }

    void fired() {
        firings++;
    }

    /** @return whether the request matches and is past the rule's skip count (counting it as skipped if not) */
    boolean takes(String method, String target) {
        if (trigger.method != null && !trigger.method.equalsIgnoreCase(method)) {
            return false;
        }
        if (trigger.target != null && !trigger.target.matcher(target).find()) {
            return false;
        }
        if (skipped < trigger.skip) {
            skipped++;
            return false;
        }
        return true;
    }

    void claim(Object proxy) {
        if (owner != null) {
            throw new IllegalStateException("This rule was already added to a proxy; build a new one: " + this);
        }
        owner = proxy;
    }

    /**
     * What sets a rule off. Narrow it with the methods of its kind, then end with an action, which builds the
     * {@link FaultRule}. Not thread-safe (build rules on one thread).
     */
    public static final class Trigger {
        private final Direction direction;
        private long afterBytes;
        private String method;
        private Pattern target;
        private int skip;
        private int times = 1;

        private Trigger(Direction direction) {
            this.direction = direction;
        }

        /**
         * Byte triggers only: fire once this many bytes have passed in the trigger's direction (0, the default,
         * fires on the first byte).
         */
        public Trigger afterBytes(long bytes) {
            requireBytes("afterBytes");
            if (bytes < 0) {
                throw new IllegalArgumentException("afterBytes must not be negative, was " + bytes);
            }
            afterBytes = bytes;
            return this;
        }

        /** Request triggers only: match only this method (case-insensitive), e.g. {@code "PUT"}. */
        public Trigger method(String method) {
            requireRequests("method");
            this.method = Objects.requireNonNull(method, "method");
            return this;
        }

        /**
         * Request triggers only: match only requests whose target (path and query as sent, e.g.
         * {@code /devstoreaccount1/c/b?comp=block&blockid=...}) contains a match of this regular expression.
         */
        public Trigger targetMatching(String regex) {
            requireRequests("targetMatching");
            this.target = Pattern.compile(regex);
            return this;
        }

        /** Request triggers only: let this many matching requests through before the rule fires. */
        public Trigger skip(int requests) {
            requireRequests("skip");
            if (requests < 0) {
                throw new IllegalArgumentException("skip must not be negative, was " + requests);
            }
            skip = requests;
            return this;
        }

        /** How many times the rule fires before it wears out: default 1; {@link FaultRule#ALWAYS} for ever. */
        public Trigger times(int times) {
            if (times < 1) {
                throw new IllegalArgumentException("times must be at least 1, was " + times);
            }
            this.times = times;
            return this;
        }

        /**
         * Resets the connection (TCP RST to both client and server): the client sees "connection reset" and the
         * server an aborted connection. A request trigger resets before the request reaches the server.
         */
        public FaultRule reset() {
            return new FaultRule(this, Action.RESET, null, 0, 0, "reset");
        }

        /**
         * Closes the connection cleanly (FIN both ways) at that point: the peer waiting for more sees end of stream
         * in the middle of a request or response. A request trigger closes before the request reaches the server,
         * so the client sees the connection end without an answer.
         */
        public FaultRule truncate() {
            return new FaultRule(this, Action.TRUNCATE, null, 0, 0, "truncate");
        }

        /**
         * Stops forwarding in that direction, keeping the connection open, until {@link FaultProxy#releaseStalls()},
         * {@link FaultProxy#clear()}, the connection closing or the proxy closing. The other direction keeps
         * flowing. A request trigger holds the request back from the server.
         */
        public FaultRule stall() {
            return new FaultRule(this, Action.STALL, null, 0, 0, "stall");
        }

        /** As {@link #stall()}, but forwarding resumes by itself after {@code duration}. */
        public FaultRule stall(Duration duration) {
            if (duration.isNegative()) {
                throw new IllegalArgumentException("stall duration must not be negative, was " + duration);
            }
            return new FaultRule(this, Action.STALL, duration, 0, 0, "stall " + duration);
        }

        /**
         * Byte triggers only: from the trigger point on, forwards that direction at most {@code bytesPerSecond} per
         * connection, in small slices, for as long as the rule is in the proxy ({@code times} does not apply).
         */
        public FaultRule slow(int bytesPerSecond) {
            requireBytes("slow");
            if (bytesPerSecond < 1) {
                throw new IllegalArgumentException("bytesPerSecond must be at least 1, was " + bytesPerSecond);
            }
            return new FaultRule(this, Action.SLOW, null, bytesPerSecond, 0, "slow " + bytesPerSecond + " B/s");
        }

        /**
         * Request triggers only: answers the request itself with this status (a complete HTTP/1.1 response with an
         * empty body, {@code x-ms-error-code} {@code ServerBusy} for 503, {@code InternalError} for 500,
         * {@code OperationTimedOut} for 408 and 504), without forwarding it; its body is read and dropped, and the
         * connection stays usable.
         */
        public FaultRule respond(int status) {
            requireRequests("respond");
            if (status < 100 || status > 599) {
                throw new IllegalArgumentException("status must be an HTTP status (100-599), was " + status);
            }
            return new FaultRule(this, Action.RESPOND, null, 0, status, "respond " + status);
        }

        private void requireBytes(String what) {
            if (direction == null) {
                throw new IllegalStateException(what + " needs a byte trigger: start from FaultRule.upstream() or "
                    + "FaultRule.downstream()");
            }
        }

        private void requireRequests(String what) {
            if (direction != null) {
                throw new IllegalStateException(what + " needs a request trigger: start from FaultRule.requests()");
            }
        }

        private Trigger copy() {
            Trigger copy = new Trigger(direction);
            copy.afterBytes = afterBytes;
            copy.method = method;
            copy.target = target;
            copy.skip = skip;
            copy.times = times;
            return copy;
        }

        @Override
        public String toString() {
            if (direction != null) {
                return direction.name().toLowerCase(java.util.Locale.ROOT) + " after " + afterBytes + " bytes"
                    + (times == ALWAYS ? ", always" : times > 1 ? ", " + times + " times" : "");
            }
            return "requests" + (method != null ? " " + method : "") + (target != null ? " ~" + target : "")
                + (skip > 0 ? ", skip " + skip : "") + (times == ALWAYS ? ", always" : times > 1 ? ", " + times
                + " times" : "");
        }
    }
}
