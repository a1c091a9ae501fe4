package dev.cse4j.testing;

import dev.cse4j.testing.FaultRule.Action;
import dev.cse4j.testing.FaultRule.Direction;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.function.BooleanSupplier;

/**
 * The rules of one {@link FaultProxy} and the traffic counts they fire on. Every connection's pumps ask it, under
 * its lock, how many bytes they may forward next and what to do then, so byte counts are exact across connections.
 * Also the place where stalled pumps wait.
 */
final class RuleBook {

    /** Request lines kept for {@link FaultProxy#requests()}; older ones are dropped past this many. */
    static final int MAX_RECORDED_REQUESTS = 10_000;

    /** What a pump does next: forward {@code bytes}, at most {@code bytesPerSecond} (0: unthrottled), then fire. */
    record Step(int bytes, int bytesPerSecond, FaultRule fire) {
    }

    private final List<FaultRule> rules = new ArrayList<>();
    private final long[] forwarded = new long[Direction.values().length];
    private final List<String> requests = new ArrayList<>();
    private long releases;
    private boolean closed;

    synchronized void add(FaultRule rule) {
        rule.claim(this);
        rules.add(rule);
    }

    synchronized void clear() {
        rules.clear();
        releaseStalls();
    }

    synchronized void releaseStalls() {
        releases++;
        notifyAll();
    }

    synchronized void close() {
        closed = true;
        notifyAll();
    }

    /** Wakes stalled pumps so they look again whether their connection is still open. */
    synchronized void wakeUp() {
        notifyAll();
    }

    synchronized long forwarded(Direction direction) {
        return forwarded[direction.ordinal()];
    }

    synchronized List<String> requests() {
        return List.copyOf(requests);
    }

    /**
     * Plans the next step of a pump that holds {@code available} bytes to forward in {@code direction}, and counts
     * the bytes it will forward.
     */
    synchronized Step next(Direction direction, int available) {
        int bytes = available;
        FaultRule fire = null;
        int bytesPerSecond = 0;
        for (FaultRule rule : rules) {
            if (rule.onRequests() || rule.direction() != direction) {
                continue;
            }
            long toGo = Math.max(0, rule.afterBytes() - rule.seen());
            if (rule.action() == Action.SLOW) {
                if (toGo == 0) {
                    bytesPerSecond = bytesPerSecond == 0 ? rule.bytesPerSecond()
                        : Math.min(bytesPerSecond, rule.bytesPerSecond());
                    if (!rule.canFire()) {
                        continue;
                    }
                    rule.fired();
                } else if (toGo < bytes) {
                    bytes = (int) toGo;
                    fire = null;
                }
            } else if (rule.canFire() && toGo < bytes) {
                bytes = (int) toGo;
                fire = rule;
            }
        }
        for (FaultRule rule : rules) {
            if (!rule.onRequests() && rule.direction() == direction) {
                rule.count(bytes);
            }
        }
        if (fire != null) {
            fire.fired();
        }
        forwarded[direction.ordinal()] += bytes;
        return new Step(bytes, bytesPerSecond, fire);
    }

    /** Records a request head and returns the rule it fires, if any. */
    synchronized FaultRule request(String method, String target) {
        if (requests.size() == MAX_RECORDED_REQUESTS) {
            requests.remove(0);
        }
        requests.add(method + " " + target);
        for (FaultRule rule : rules) {
            if (rule.onRequests() && rule.canFire() && rule.takes(method, target)) {
                rule.fired();
                return rule;
            }
        }
        return null;
    }

    /**
     * Waits until stalls are released, the rule's stall duration passes, the proxy closes or {@code open} turns
     * false (the connection's closing calls {@link #wakeUp()}).
     *
     * @return whether the pump may go on: false if the proxy or the connection closed meanwhile
     */
    synchronized boolean stall(FaultRule rule, BooleanSupplier open) throws InterruptedException {
        long generation = releases;
        Duration limit = rule.stallFor();
        long deadline = limit == null ? 0 : System.nanoTime() + limit.toNanos();
        while (!closed && generation == releases && open.getAsBoolean()) {
            if (limit == null) {
                wait();
            } else {
                long left = deadline - System.nanoTime();
                if (left <= 0) {
                    break;
                }
                wait(Math.max(1, left / 1_000_000));
            }
        }
        return !closed && open.getAsBoolean();
    }
}
