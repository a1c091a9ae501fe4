package dev.cse4j.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/**
 * The committed seed corpus of a fuzz test: Jazzer replays every file in
 * {@code src/test/resources/<package>/<TestClass>Inputs/<method>/} as a regression test in every test run. The
 * seeds a fuzz test derives from the known-answer vectors and its own edge cases are checked against those files
 * (a seed changed in code but not on disk fails); run the test with {@code -Dcse4j.fuzz.writeSeeds=true} to write
 * them. Other files there (regression inputs of findings) are left alone.
 */
public final class FuzzSeeds {
    /** The system property that makes {@link #check} write the seeds instead of failing. */
    public static final String WRITE_PROPERTY = "cse4j.fuzz.writeSeeds";

    private FuzzSeeds() {
    }

    /** The inputs directory of {@code method} of {@code test}, in the source tree of the module under test. */
    public static Path directory(Class<?> test, String method) {
        return Path.of("src", "test", "resources").resolve(test.getPackageName().replace('.', '/'))
            .resolve(test.getSimpleName() + "Inputs").resolve(method);
    }

    /**
     * @param seeds file name to contents
     * @throws AssertionError naming the seeds whose file is missing or differs (unless written)
     */
    public static void check(Class<?> test, String method, Map<String, byte[]> seeds) {
        boolean write = Boolean.getBoolean(WRITE_PROPERTY);
        Path dir = directory(test, method);
        List<String> stale = new ArrayList<>();
        try {
            for (Map.Entry<String, byte[]> seed : seeds.entrySet()) {
                Path file = dir.resolve(seed.getKey());
                if (Files.isRegularFile(file) && Arrays.equals(Files.readAllBytes(file), seed.getValue())) {
                    continue;
                }
                if (write) {
                    Files.createDirectories(dir);
                    Files.write(file, seed.getValue());
                } else {
                    stale.add(seed.getKey());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (!stale.isEmpty()) {
            throw new AssertionError("Seeds of " + test.getSimpleName() + "." + method + " missing or stale in " + dir
                + ": " + stale + ". Run this test with -D" + WRITE_PROPERTY + "=true and commit the files.");
        }
    }
}
