package dev.cse4j.table;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets this module's tests do on threads it watches (test support's {@code BlockHoundInstaller}
 * installs it; BlockHound finds this class by service loading,
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}). One allowance, not for cse4j's
 * code (which never calls it): {@code UUID.randomUUID()}, with which azure-data-tables' {@code MultipartPart}
 * constructor names each part of a transaction's batch request, on the subscribing thread; the JDK's
 * {@code NativePRNG} behind it now and then refills its buffer from {@code /dev/urandom} with a blocking read, which
 * failed an asynchronous transaction test on a parallel thread at random. (BlockHound cannot allow a constructor
 * itself: its advice catches exceptions, which a constructor's cannot.)
 */
public final class BlockHoundAllowances implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside("java.util.UUID", "randomUUID");
    }
}
