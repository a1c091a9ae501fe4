package dev.cse4j.testing;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ChildJvmTest {
    @Test
    void run_collectsStandardOutputAndError_andTheExitCode() throws Exception {
        AtomicLong pid = new AtomicLong();

        ChildJvm.Result result = ChildJvm.run(List.of("-Dchild.property=set"), Child.class, List.of("print", "word"),
            Map.of("CHILD_VARIABLE", "from the parent"), Duration.ofMinutes(1), process -> pid.set(process.pid()));

        assertThat(result.exitCode()).isEqualTo(3);
        assertThat(result.output()).containsExactly("argument word", "property set", "variable from the parent",
            "to standard error");
        assertThat(pid.get()).isPositive();
        assertThat(ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    @Test
    @Timeout(60)
    void run_aChildThatOverrunsItsTimeout_isKilled() throws Exception {
        ChildJvm.Result result = ChildJvm.run(List.of(), Child.class, List.of("sleep"), Map.of(),
            Duration.ofSeconds(1), process -> { });

        assertThat(result.exitCode()).isEqualTo(137);
        assertThat(result.output()).containsExactly("sleeping");
    }

    @Test
    void run_aStartedHookThatThrows_killsTheChild() throws Exception {
        AtomicLong pid = new AtomicLong();

        assertThatThrownBy(() -> ChildJvm.run(List.of(), Child.class, List.of("sleep"), Map.of(),
            Duration.ofMinutes(5), process -> {
                pid.set(process.pid());
                throw new IllegalStateException("the hook failed");
            })).isInstanceOf(IllegalStateException.class).hasMessage("the hook failed");
        // killed when the call ended, not by its 5-minute timeout
        ProcessHandle.of(pid.get())
            .ifPresent(child -> assertThat(child.onExit()).succeedsWithin(Duration.ofSeconds(30)));
        assertThat(ProcessHandle.of(pid.get()).filter(ProcessHandle::isAlive)).isEmpty();
    }

    /** {@code print}: prints its argument, a property and a variable, a line to standard error, exits 3. */
    static final class Child {
        public static void main(String[] args) throws Exception {
            if (args[0].equals("sleep")) {
                System.out.println("sleeping");
                System.out.flush();
                Thread.sleep(600_000);
                return;
            }
            System.out.println("argument " + args[1]);
            System.out.println("property " + System.getProperty("child.property"));
            System.out.println("variable " + System.getenv("CHILD_VARIABLE"));
            System.out.flush();
            System.err.println("to standard error");
            System.exit(3);
        }
    }
}
