package dev.cse4j.core.implementation;

import java.util.Locale;

/**
 * Text from outside this process (the storage service, stored metadata, key files, exception messages that quote
 * them) made safe to print on a terminal: the one place that decides how, for the {@code cse4j} command and the
 * Spark job's driver alike. Every human-readable line they print that may carry such text goes through
 * {@link #escape(String)}, {@link #oneLine(String)} or {@link #line(String)}, every JSON line the command prints
 * through {@link #json(String)}.
 *
 * <p>What is escaped: every character that can make a terminal do something rather than show a glyph, or hide or
 * reorder what follows. C0 controls (ESC, BEL, CR, LF, TAB, ...), DEL and C1 controls become {@code \xNN}; Unicode
 * format characters (bidirectional overrides and isolates such as U+202E, zero-width characters, ...), line and
 * paragraph separators, unpaired surrogates and unassigned code points become <code>&#92;u{XXXX}</code> (in a JSON
 * line, {@link #json(String)}: JSON escapes).
 * Everything else is printed as it is, including letters of any script and the backslash itself (so a Windows path
 * stays readable; the escapes are unambiguous unless the text itself spells one out).
 *
 * <p>{@link #oneLine(String)} also makes the text one line: line breaks and the blanks around them become one
 * space. {@link #line(String)}, for every error and warning line, also bounds its length: a line longer than
 * {@link #MAX_LINE} characters keeps its start and its end (where messages say what to do) with a marker saying how
 * much was left out in between.
 */
public final class TerminalText {
    /** The longest line {@link #line(String)} returns. */
    public static final int MAX_LINE = 600;
    /** Characters kept from the end of a line that is too long: room for the advice a message ends with. */
    private static final int KEPT_END = 200;
    /** Room for the marker that replaces the middle of a long line: " [... N characters left out ...] ". */
    private static final int MARKER_ROOM = 45;

    private TerminalText() {
    }

    /** {@code text} with every unsafe character escaped ({@code ""} for {@code null}). */
    public static String escape(String text) {
        if (text == null) {
            return "";
        }
        StringBuilder out = null;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            int next = i + Character.charCount(c);
            if (isUnsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(text.length() + 16).append(text, 0, i);
                }
                out.append(c < 0x100 ? String.format(Locale.ROOT, "\\x%02x", c)
                    : String.format(Locale.ROOT, "\\u{%04x}", c));
            } else if (out != null) {
                out.appendCodePoint(c);
            }
            i = next;
        }
        return out == null ? text : out.toString();
    }

    /** Whether code point {@code c} is one {@link #escape(String)} escapes. */
    static boolean isUnsafe(int c) {
        switch (Character.getType(c)) {
            case Character.CONTROL: // C0, DEL, C1
            case Character.FORMAT: // bidi controls, zero-width characters, ...
            case Character.LINE_SEPARATOR:
            case Character.PARAGRAPH_SEPARATOR:
            case Character.SURROGATE: // only an unpaired one reaches here: pairs are read as one code point
            case Character.UNASSIGNED:
                return true;
            default:
                return false;
        }
    }

    /**
     * A JSON line with every unsafe character ({@link #isUnsafe}) written as a JSON escape (<code>&#92;uXXXX</code>,
     * surrogate pairs as two), so names and values from the service in a {@code --json} line cannot control the
     * terminal; the JSON means the same. The JSON writer escapes only C0 controls: DEL, C1 controls (U+009B is CSI),
     * bidirectional and other format characters pass it. Such characters only occur inside strings: JSON's own
     * syntax is ASCII.
     */
    public static String json(String json) {
        StringBuilder out = null;
        for (int i = 0; i < json.length(); ) {
            int c = json.codePointAt(i);
            if (isUnsafe(c)) {
                if (out == null) {
                    out = new StringBuilder(json.length() + 16).append(json, 0, i);
                }
                for (char unit : Character.toChars(c)) {
                    out.append(String.format(Locale.ROOT, "\\u%04x", (int) unit));
                }
            } else if (out != null) {
                out.appendCodePoint(c);
            }
            i += Character.charCount(c);
        }
        return out == null ? json : out.toString();
    }

    /** {@code text} as one escaped line: line breaks and the blanks around them become one space. */
    public static String oneLine(String text) {
        return text == null ? "" : escape(text.strip().replaceAll("\\s*[\\r\\n\\u0085\\u2028\\u2029]+\\s*", " "));
    }

    /** {@code text} as one escaped line ({@link #oneLine}) of at most {@link #MAX_LINE} characters. */
    public static String line(String text) {
        String escaped = oneLine(text);
        if (escaped.length() <= MAX_LINE) {
            return escaped;
        }
        int head = cut(escaped, MAX_LINE - KEPT_END - MARKER_ROOM);
        int tail = cut(escaped, escaped.length() - KEPT_END);
        return escaped.substring(0, head) + " [... " + (tail - head) + " characters left out ...] "
            + escaped.substring(tail);
    }

    /** {@code index}, moved back off the second half of a surrogate pair. */
    private static int cut(String text, int index) {
        return index > 0 && Character.isLowSurrogate(text.charAt(index)) ? index - 1 : index;
    }
}
