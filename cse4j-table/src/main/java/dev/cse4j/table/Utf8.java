package dev.cse4j.table;

import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * Strict UTF-8: a string with an unpaired surrogate is refused rather than silently stored as {@code '?'}, and bytes
 * that are not UTF-8 are refused rather than decoded with replacement characters.
 */
final class Utf8 {
    private Utf8() {
    }

    /** @return the UTF-8 bytes, or {@code null} if {@code s} is not valid Unicode (an unpaired surrogate) */
    static byte[] encodeOrNull(String s) {
        try {
            ByteBuffer buffer = StandardCharsets.UTF_8.newEncoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .encode(CharBuffer.wrap(s));
            return Arrays.copyOfRange(buffer.array(), buffer.position(), buffer.limit());
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** @return the text, or {@code null} if {@code bytes} are not valid UTF-8 */
    static String decodeOrNull(byte[] bytes) {
        try {
            return StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }
}
