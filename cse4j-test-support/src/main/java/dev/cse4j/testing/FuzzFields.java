package dev.cse4j.testing;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The framing of the fuzz targets that take several fields from one fuzzer input (docs/fuzzing.md): each field is a
 * 2-byte big-endian length followed by that many bytes (fewer if the input ends first), and {@link #rest()} is
 * whatever follows. Reading never fails: an exhausted input yields empty fields and zero bytes, so every byte
 * string is a valid input and the fuzzer's mutations stay meaningful. {@link Writer} makes seeds in the same form.
 */
public final class FuzzFields {
    /** The longest field: a 2-byte length. */
    public static final int MAX_FIELD = 0xffff;

    private final byte[] data;
    private int position;

    private FuzzFields(byte[] data) {
        this.data = data;
    }

    /** Fields read from {@code data} (not copied). */
    public static FuzzFields of(byte[] data) {
        return new FuzzFields(data);
    }

    /** The next length-prefixed field; empty once the input is exhausted. */
    public byte[] next() {
        int length = (u8() << 8) | u8();
        int end = Math.min(data.length, position + length);
        byte[] field = Arrays.copyOfRange(data, position, end);
        position = end;
        return field;
    }

    /** The next field as UTF-8 text (malformed sequences become U+FFFD). */
    public String nextUtf8() {
        return new String(next(), StandardCharsets.UTF_8);
    }

    /**
     * The next field as UTF-16BE code units taken as they are, so the text may hold unpaired surrogates (which
     * stored strings can); an odd last byte is dropped.
     */
    public String nextUtf16() {
        byte[] field = next();
        char[] chars = new char[field.length / 2];
        for (int i = 0; i < chars.length; i++) {
            chars[i] = (char) (((field[2 * i] & 0xff) << 8) | (field[2 * i + 1] & 0xff));
        }
        return new String(chars);
    }

    /** The next byte, unsigned; 0 once the input is exhausted. */
    public int u8() {
        return position < data.length ? data[position++] & 0xff : 0;
    }

    /** The next four bytes as a big-endian int (zeros once the input is exhausted). */
    public int int32() {
        return (u8() << 24) | (u8() << 16) | (u8() << 8) | u8();
    }

    /** Everything not read yet. */
    public byte[] rest() {
        byte[] rest = Arrays.copyOfRange(data, position, data.length);
        position = data.length;
        return rest;
    }

    /** A new, empty seed. */
    public static Writer writer() {
        return new Writer();
    }

    /** Builds an input that {@link FuzzFields} reads back field by field, in the same order. */
    public static final class Writer {
        private final ByteArrayOutputStream out = new ByteArrayOutputStream();

        private Writer() {
        }

        /** A field read by {@link FuzzFields#next()}. */
        public Writer field(byte[] field) {
            if (field.length > MAX_FIELD) {
                throw new IllegalArgumentException("A field has at most " + MAX_FIELD + " bytes, not " + field.length);
            }
            out.write(field.length >>> 8);
            out.write(field.length);
            out.write(field, 0, field.length);
            return this;
        }

        /** A field read by {@link FuzzFields#nextUtf8()}. */
        public Writer utf8(String text) {
            return field(text.getBytes(StandardCharsets.UTF_8));
        }

        /** A field read by {@link FuzzFields#nextUtf16()}. */
        public Writer utf16(String text) {
            return field(text.getBytes(StandardCharsets.UTF_16BE));
        }

        /** A byte read by {@link FuzzFields#u8()}. */
        public Writer u8(int value) {
            out.write(value);
            return this;
        }

        /** Four bytes read by {@link FuzzFields#int32()}. */
        public Writer int32(int value) {
            return u8(value >>> 24).u8(value >>> 16).u8(value >>> 8).u8(value);
        }

        /** The bytes read by {@link FuzzFields#rest()}; nothing can follow them. */
        public byte[] rest(byte[] rest) {
            out.write(rest, 0, rest.length);
            return toBytes();
        }

        public byte[] toBytes() {
            return out.toByteArray();
        }
    }
}
