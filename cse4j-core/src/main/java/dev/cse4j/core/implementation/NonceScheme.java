package dev.cse4j.core.implementation;

/**
 * The per-region nonce sequences the SDKs write for protocol 2.x (docs/formats.md §6.5). Every reader uses the
 * nonce stored in the region; these sequences only serve to check that region {@code i} of the data really is
 * region {@code i} of what was written (docs/formats.md §6.6).
 *
 * <pre>
 * JAVA    bytes 0-7 = i as 64-bit big-endian, bytes 8-11 = 0      (what cse4j writes)
 * PYTHON  bytes 0-3 = 0, bytes 4-11 = i as 64-bit big-endian      (i as a 96-bit big-endian integer)
 * DOTNET  bytes 0-3 = 0, bytes 4-11 = i + 1 as 64-bit little-endian
 * </pre>
 */
public enum NonceScheme {
    JAVA {
        @Override
        public void write(long index, byte[] out, int off) {
            putLongBigEndian(index, out, off);
            for (int i = 8; i < 12; i++) {
                out[off + i] = 0;
            }
        }
    },
    PYTHON {
        @Override
        public void write(long index, byte[] out, int off) {
            for (int i = 0; i < 4; i++) {
                out[off + i] = 0;
            }
            putLongBigEndian(index, out, off + 4);
        }
    },
    DOTNET {
        @Override
        public void write(long index, byte[] out, int off) {
            for (int i = 0; i < 4; i++) {
                out[off + i] = 0;
            }
            long counter = index + 1;
            for (int i = 0; i < 8; i++) {
                out[off + 4 + i] = (byte) (counter >>> (8 * i));
            }
        }
    };

    private static final NonceScheme[] ALL = values();

    /** Bit mask with one bit per scheme ({@code 1 << ordinal}). */
    public static final int ALL_SCHEMES = (1 << ALL.length) - 1;

    /** Writes the 12-byte nonce of region {@code index}. */
    public abstract void write(long index, byte[] out, int off);

    /** Whether the 12 bytes at {@code off} are this scheme's nonce for region {@code index}. */
    public boolean matches(long index, byte[] nonce, int off) {
        byte[] expected = new byte[RegionLayout.NONCE_LENGTH];
        write(index, expected, 0);
        for (int i = 0; i < expected.length; i++) {
            if (expected[i] != nonce[off + i]) {
                return false;
            }
        }
        return true;
    }

    /** The mask of schemes whose nonce for region {@code index} is the 12 bytes at {@code off}. */
    public static int matching(long index, byte[] nonce, int off) {
        int mask = 0;
        for (NonceScheme scheme : ALL) {
            if (scheme.matches(index, nonce, off)) {
                mask |= 1 << scheme.ordinal();
            }
        }
        return mask;
    }

    private static void putLongBigEndian(long value, byte[] out, int off) {
        for (int i = 0; i < 8; i++) {
            out[off + i] = (byte) (value >>> (56 - 8 * i));
        }
    }
}
