package dev.cse4j.packaging;

import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Collectors;

/** Compiles Java sources held as strings with the JDK's compiler (javax.tools), the way a user's build would. */
final class Javac {
    private Javac() {
    }

    /**
     * The outcome of one compilation.
     *
     * @param success whether it compiled
     * @param errors the error diagnostics, one line each
     */
    record Result(boolean success, List<String> errors) {
        @Override
        public String toString() {
            return success ? "compiled" : "failed:\n" + String.join("\n", errors);
        }
    }

    /**
     * Compiles {@code sources} (path in the source tree, e.g. {@code app/Main.java}, to its text) into {@code out}.
     *
     * @param options javac options, e.g. {@code --module-path} or {@code -classpath}
     */
    static Result compile(Path out, List<String> options, Map<String, String> sources) {
        JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        try (StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
            StandardCharsets.UTF_8)) {
            List<JavaFileObject> units = new ArrayList<>();
            sources.forEach((path, text) -> units.add(new Source(path, text)));
            List<String> all = new ArrayList<>(options);
            all.addAll(List.of("-d", out.toString(), "-encoding", "UTF-8", "-proc:none"));
            boolean ok = compiler.getTask(null, files, diagnostics, all, null, units).call();
            List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> (d.getSource() == null ? "" : d.getSource().getName() + ":" + d.getLineNumber() + ": ")
                    + d.getMessage(Locale.ROOT))
                .collect(Collectors.toList());
            return new Result(ok, errors);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final class Source extends SimpleJavaFileObject {
        private final String text;

        Source(String path, String text) {
            super(URI.create("string:///" + path), Kind.SOURCE);
            this.text = text;
        }

        @Override
        public CharSequence getCharContent(boolean ignoreEncodingErrors) {
            return text;
        }
    }
}
