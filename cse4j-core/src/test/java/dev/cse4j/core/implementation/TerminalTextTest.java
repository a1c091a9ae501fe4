package dev.cse4j.core.implementation;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.assertj.core.api.Assertions.assertThat;

class TerminalTextTest {
    @ParameterizedTest(name = "{1}")
    @CsvSource(delimiter = '|', value = {
        "'\u001b[2J'|\\x1b[2J",
        "a\u0007b|a\\x07b",
        "a\rb|a\\x0db",
        "tab\there|tab\\x09here",
        "del\u007f|del\\x7f",
        "c1\u009b31m|c1\\x9b31m",
        "bidi \u202egnp.exe|bidi \\u{202e}gnp.exe",
        "isolate\u2066x\u2069|isolate\\u{2066}x\\u{2069}",
        "zero\u200bwidth|zero\\u{200b}width",
        "sep\u2028arator|sep\\u{2028}arator",
        "bom\ufeff|bom\\u{feff}",
        "tag\udb40\udc01|tag\\u{e0001}",
        "lone\ud800|lone\\u{d800}",
    })
    void escape_controlFormatAndBidiCharacters_becomeVisibleEscapes(String raw, String shown) {
        assertThat(TerminalText.escape(raw)).isEqualTo(shown);
    }

    @Test
    void escape_keepsPrintableTextOfAnyScriptAndBackslashes() {
        String text = "key-ünïcødé 日本語 😀 C:\\keys\\a.jwk ~!@#$%^&*()";

        assertThat(TerminalText.escape(text)).isSameAs(text);
        assertThat(TerminalText.escape(null)).isEmpty();
    }

    @Test
    void line_joinsLinesWithOneSpace_andEscapesTheRest() {
        assertThat(TerminalText.line("  first\r\n   second\nthird\u001b  ")).isEqualTo("first second third\\x1b");
    }

    @Test
    void line_tooLong_keepsItsStartAndItsEnd_andSaysHowMuchWasLeftOut() {
        String digits = "9".repeat(5000);
        String message = "Invalid value for option '--offset': '" + digits + "' is not a long. Check --offset.";

        String line = TerminalText.line(message);

        assertThat(line.length()).isLessThanOrEqualTo(TerminalText.MAX_LINE);
        assertThat(line).startsWith("Invalid value for option '--offset': '999")
            .endsWith("is not a long. Check --offset.")
            .matches(".*\\[\\.\\.\\. \\d+ characters left out \\.\\.\\.].*");
        int leftOut = Integer.parseInt(line.replaceAll(".*\\[\\.\\.\\. (\\d+) characters.*", "$1"));
        assertThat(line.length() - (" [... " + leftOut + " characters left out ...] ").length() + leftOut)
            .isEqualTo(message.length());
    }

    @Test
    void line_tooLong_neverSplitsASurrogatePair() {
        String line = TerminalText.line("😀".repeat(2000));

        assertThat(line.length()).isLessThanOrEqualTo(TerminalText.MAX_LINE);
        assertThat(line.replaceAll(" \\[\\.\\.\\. \\d+ characters left out \\.\\.\\.] ", "")).matches("(😀)+");
    }
}
