package dev.cse4j.cli;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

import java.util.regex.Pattern;

/**
 * The storage service's naming rules, checked before any request so that a bad name is a usage error that states the
 * rule, rather than an opaque HTTP 400.
 */
final class Names {
    /** 3-63 lowercase letters, digits and single hyphens, starting and ending with a letter or digit. */
    private static final Pattern CONTAINER_OR_QUEUE = Pattern.compile("[a-z0-9](?!.*--)[a-z0-9-]{1,61}[a-z0-9]"
        + "|\\$root|\\$web");
    private static final String CONTAINER_OR_QUEUE_RULE = "3-63 lowercase letters, digits and single hyphens, "
        + "starting and ending with a letter or digit";
    /** 3-63 letters and digits, starting with a letter; "tables" is reserved. */
    private static final Pattern TABLE = Pattern.compile("(?i)(?!tables$)[a-z][a-z0-9]{2,62}");

    private Names() {
    }

    /** A converter that accepts the names matching a pattern. */
    private abstract static class Rule implements ITypeConverter<String> {
        private final String what;
        private final Pattern pattern;
        private final String rule;

        Rule(String what, Pattern pattern, String rule) {
            this.what = what;
            this.pattern = pattern;
            this.rule = rule;
        }

        @Override
        public String convert(String value) {
            if (!pattern.matcher(value).matches()) {
                throw new TypeConversionException("'" + value + "' is not a valid " + what + " name: use " + rule
                    + ".");
            }
            return value;
        }
    }

    static final class Container extends Rule {
        Container() {
            super("container", CONTAINER_OR_QUEUE, CONTAINER_OR_QUEUE_RULE);
        }
    }

    static final class Queue extends Rule {
        Queue() {
            super("queue", CONTAINER_OR_QUEUE, CONTAINER_OR_QUEUE_RULE + " ($root and $web are containers)");
        }

        @Override
        public String convert(String value) {
            if (value.startsWith("$")) {
                throw new TypeConversionException("'" + value + "' is not a valid queue name: use "
                    + CONTAINER_OR_QUEUE_RULE + ".");
            }
            return super.convert(value);
        }
    }

    /** Blob names: 1 to 1024 characters (the service's rule; it also limits path segments, which it reports). */
    static final class Blob implements ITypeConverter<String> {
        static final int MAX_LENGTH = 1024;

        @Override
        public String convert(String value) {
            if (value.isEmpty() || value.length() > MAX_LENGTH) {
                throw new TypeConversionException((value.isEmpty() ? "the blob name is empty"
                    : "the blob name has " + value.length() + " characters") + ": blob names have 1 to " + MAX_LENGTH
                    + " characters.");
            }
            return value;
        }
    }

    static final class Table extends Rule {
        Table() {
            super("table", TABLE, "3-63 letters and digits, starting with a letter ('tables' is reserved)");
        }
    }
}
