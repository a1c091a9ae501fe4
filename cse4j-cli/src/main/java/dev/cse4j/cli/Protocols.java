package dev.cse4j.cli;

import dev.cse4j.core.EncryptionProtocol;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/** Option values naming an encryption protocol. */
final class Protocols {
    private Protocols() {
    }

    /** {@code 2.0} or {@code 2.1}: the protocols cse4j writes. */
    static final class Writable implements ITypeConverter<EncryptionProtocol> {
        @Override
        public EncryptionProtocol convert(String value) {
            if ("2.0".equals(value)) {
                return EncryptionProtocol.V2_0;
            }
            if ("2.1".equals(value)) {
                return EncryptionProtocol.V2_1;
            }
            throw new TypeConversionException("'" + value + "' is not a protocol cse4j writes: use 2.0 or 2.1"
                + ("1.0".equals(value) ? " (1.0 is unauthenticated and only ever read, with --allow-v1)" : "") + ".");
        }
    }
}
