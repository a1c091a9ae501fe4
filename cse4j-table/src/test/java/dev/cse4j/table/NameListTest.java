package dev.cse4j.table;

import dev.cse4j.core.MalformedEncryptionDataException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class NameListTest {

    private static byte[] utf8(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @Test
    void toJson_isACompactArrayWithStandardEscaping_andParsesBack() {
        List<String> names = List.of("a", "é ü", "q\"uote", "back\\slash", "a,b");

        byte[] json = NameList.toJson(names);

        assertThat(new String(json, StandardCharsets.UTF_8))
            .isEqualTo("[\"a\",\"é ü\",\"q\\\"uote\",\"back\\\\slash\",\"a,b\"]");
        assertThat(NameList.parseAuthenticated(json)).isEqualTo(names);
        assertThat(NameList.parseAuthenticated(NameList.toJson(List.of()))).isEmpty();
    }

    @Test
    void toLegacyJson_isDotNetsSpelling() {
        assertThat(new String(NameList.toLegacyJson(List.of("Secret", "Ünïcode")), StandardCharsets.UTF_8))
            .isEqualTo("[\"Secret\",\"Ünïcode\"]");
        assertThat(new String(NameList.toLegacyJson(List.of()), StandardCharsets.UTF_8)).isEqualTo("[]");
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"a\":1}", "[1]", "[\"a\",null]", "[\"a\"] x", "[\"a\"", "[\"a\",\"a\"]", "", "a"})
    void parseAuthenticated_refusesAnythingButAnArrayOfDistinctStrings(String text) {
        assertThatThrownBy(() -> NameList.parseAuthenticated(utf8(text)))
            .isInstanceOf(MalformedEncryptionDataException.class).hasMessageContaining("_ClientEncryptionMetadata2");
    }

    @Test
    void parseLegacy_readsEverySpellingTheLegacySdksWrite() {
        assertThat(NameList.parseLegacy(utf8("[\"a\",\"b\"]"))).containsExactly("a", "b"); // .NET
        assertThat(NameList.parseLegacy(utf8("[\"a\", \"b\"]"))).containsExactly("a", "b"); // Python json.dumps
        assertThat(NameList.parseLegacy(utf8("[a, b]"))).containsExactly("a", "b"); // Java 8 Arrays.toString
        assertThat(NameList.parseLegacy(utf8("[Secret]"))).containsExactly("Secret");
        assertThat(NameList.parseLegacy(utf8("[]"))).isEmpty();
        assertThat(NameList.parseLegacy(utf8("[\"é\"]"))).containsExactly("é");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "a, b", "[\"a\",", "{}"})
    void parseLegacy_refusesWhatIsNoList(String text) {
        assertThatThrownBy(() -> NameList.parseLegacy(utf8(text)))
            .isInstanceOf(MalformedEncryptionDataException.class);
    }

    @Test
    void parseLegacy_refusesBytesThatAreNotUtf8() {
        assertThatThrownBy(() -> NameList.parseLegacy(new byte[] {'[', (byte) 0xff, ']'}))
            .isInstanceOf(MalformedEncryptionDataException.class).hasMessageContaining("UTF-8");
    }

    @Test
    void legacyProblem_namesWhatTheJava8ReaderBreaks() {
        assertThat(NameList.legacyProblem("Secret_1é")).isNull();
        assertThat(NameList.legacyProblem("a b")).contains("space");
        assertThat(NameList.legacyProblem("a,b")).contains("comma");
        assertThat(NameList.legacyProblem("a\"b")).contains("double quote");
        assertThat(NameList.legacyProblem("a\\b")).contains("escapes");
        assertThat(NameList.legacyProblem("a\nb")).contains("escapes");
    }
}
