package dev.cse4j.core.implementation;

import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.concurrent.TimeoutException;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BlockingTest {

    @Test
    void await_ioFailure_isAnUncheckedIOException_sayingWhatToDo() {
        IOException reset = new IOException("Connection reset by peer");

        assertThatThrownBy(() -> Blocking.await(Mono.error(reset)))
            .isInstanceOf(UncheckedIOException.class).hasCause(reset)
            .hasMessageContaining("Connection reset by peer").hasMessageContaining("retryOptions");
    }

    @Test
    void await_uncheckedFailure_isRethrownAsItIs_andOtherCheckedOnesWrapped() {
        IllegalArgumentException refused = new IllegalArgumentException("refused");
        TimeoutException late = new TimeoutException("late");

        assertThatThrownBy(() -> Blocking.await(Mono.error(refused))).isSameAs(refused);
        assertThatThrownBy(() -> Blocking.await(Mono.error(late))).isInstanceOf(IllegalStateException.class)
            .hasCause(late);
    }
}
