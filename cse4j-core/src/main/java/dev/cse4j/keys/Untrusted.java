package dev.cse4j.keys;

/** Shows text from stored metadata or key files in messages: quoted, printable ASCII only, and cut short. */
final class Untrusted {
    private static final int MAX_SHOWN = 100;

    private Untrusted() {
    }

    /** {@code 'text'} with other characters as {@code ?} and anything past 100 characters as {@code ...}. */
    static String quote(String text) {
        if (text == null) {
            return "null";
        }
        StringBuilder shown = new StringBuilder(Math.min(text.length(), MAX_SHOWN) + 5).append('\'');
        for (int i = 0; i < text.length() && i < MAX_SHOWN; i++) {
            char c = text.charAt(i);
            shown.append(c >= 0x20 && c < 0x7f ? c : '?');
        }
        if (text.length() > MAX_SHOWN) {
            shown.append("...");
        }
        return shown.append('\'').toString();
    }
}
