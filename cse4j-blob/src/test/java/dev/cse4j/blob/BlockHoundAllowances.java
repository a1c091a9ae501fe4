package dev.cse4j.blob;

import reactor.blockhound.BlockHound;
import reactor.blockhound.integration.BlockHoundIntegration;

/**
 * What BlockHound lets this module's tests do on threads it watches (test support's {@code BlockHoundInstaller}
 * installs it; BlockHound finds this class by service loading,
 * {@code META-INF/services/reactor.blockhound.integration.BlockHoundIntegration}). Two allowances, neither for cse4j's
 * code:
 * <ul>
 *   <li>{@link BlockingOnPurpose#run}: a test's callback that blocks deliberately where cse4j calls it on the event
 *       loop, as the Azure SDK calls it there (a progress listener changing the file being uploaded).</li>
 *   <li>azure-core-http-netty's {@code ByteBufWriteSubscriber.write}, which waits on the event loop for each write
 *       of the {@code AsynchronousByteChannel} a response body is written to: the plain SDK's own
 *       {@code downloadToFile} (an {@code AsynchronousFileChannel}) blocks there, and without the allowance it hangs
 *       when a test compares cse4j with it. cse4j's reads write bodies to a channel whose writes complete in place,
 *       so nothing of ours waits there.</li>
 * </ul>
 * {@link BlockHoundTest} proves BlockHound is active for this module.
 */
public final class BlockHoundAllowances implements BlockHoundIntegration {
    @Override
    public void applyTo(BlockHound.Builder builder) {
        builder.allowBlockingCallsInside(BlockingOnPurpose.class.getName(), "run")
            .allowBlockingCallsInside("com.azure.core.http.netty.implementation.ByteBufWriteSubscriber", "write");
    }
}
