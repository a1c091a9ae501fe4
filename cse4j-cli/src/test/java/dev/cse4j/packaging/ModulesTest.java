package dev.cse4j.packaging;

import dev.cse4j.testing.Azurite;
import dev.cse4j.testing.AzuriteExtension;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import java.io.File;
import java.lang.module.Configuration;
import java.lang.module.ModuleDescriptor;
import java.lang.module.ModuleFinder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The cse4j libraries as modules, as a user gets them on the module path (the other tests run on the class path):
 * they resolve with what they declare, export their API packages, read the Azure modules of their API transitively,
 * and keep {@code implementation} packages to cse4j's own modules, so a user's module compiles against the API and
 * not against the internals.
 */
@ExtendWith(AzuriteExtension.class)
class ModulesTest {
    private static final List<String> LIBRARIES = List.of("dev.cse4j.core", "dev.cse4j.blob", "dev.cse4j.queue",
        "dev.cse4j.table");

    @TempDir
    Path dir;

    /** The test class path's modular entries: the cse4j libraries (jars, or target/classes) and every jar. */
    static List<Path> modulePath() {
        return Arrays.stream(System.getProperty("java.class.path").split(File.pathSeparator))
            .map(Path::of)
            .filter(p -> Files.isRegularFile(p) && p.toString().endsWith(".jar")
                || Files.isRegularFile(p.resolve("module-info.class")))
            .collect(Collectors.toList());
    }

    private static Map<String, ModuleDescriptor> resolvedLibraries() {
        ModuleFinder finder = ModuleFinder.of(modulePath().toArray(Path[]::new));
        Configuration configuration = ModuleLayer.boot().configuration().resolve(finder, ModuleFinder.of(),
            LIBRARIES);
        return configuration.modules().stream()
            .map(m -> m.reference().descriptor())
            .filter(d -> LIBRARIES.contains(d.name()))
            .collect(Collectors.toMap(ModuleDescriptor::name, d -> d));
    }

    @Test
    void libraries_resolveOnTheModulePath_asExplicitModules() {
        Map<String, ModuleDescriptor> modules = resolvedLibraries();

        assertThat(modules).containsOnlyKeys(LIBRARIES);
        assertThat(modules.values()).noneMatch(ModuleDescriptor::isAutomatic).noneMatch(ModuleDescriptor::isOpen);
    }

    @Test
    void libraries_exportTheirApi_andImplementationOnlyToCse4jModules() {
        Map<String, ModuleDescriptor> modules = resolvedLibraries();

        assertThat(exports(modules.get("dev.cse4j.core"))).containsOnly(
            Map.entry("dev.cse4j.core", Set.of()),
            Map.entry("dev.cse4j.keys", Set.of()),
            Map.entry("dev.cse4j.fleet", Set.of()),
            Map.entry("dev.cse4j.core.implementation", Set.of("dev.cse4j.blob", "dev.cse4j.queue", "dev.cse4j.table")));
        assertThat(exports(modules.get("dev.cse4j.blob"))).containsOnly(Map.entry("dev.cse4j.blob", Set.of()));
        assertThat(exports(modules.get("dev.cse4j.queue"))).containsOnly(Map.entry("dev.cse4j.queue", Set.of()));
        assertThat(exports(modules.get("dev.cse4j.table"))).containsOnly(Map.entry("dev.cse4j.table", Set.of()));
        for (ModuleDescriptor module : modules.values()) {
            for (ModuleDescriptor.Exports export : module.exports()) {
                if (export.source().endsWith(".implementation")) {
                    assertThat(export.targets()).as(module.name() + " exports " + export.source()).isNotEmpty()
                        .allMatch(target -> target.startsWith("dev.cse4j."));
                }
            }
        }
    }

    @Test
    void libraries_readTheAzureModulesOfTheirApiTransitively() {
        Map<String, ModuleDescriptor> modules = resolvedLibraries();

        assertThat(transitive(modules.get("dev.cse4j.core"))).contains("com.azure.core", "com.azure.json");
        assertThat(transitive(modules.get("dev.cse4j.blob"))).contains("dev.cse4j.core", "com.azure.storage.blob");
        assertThat(transitive(modules.get("dev.cse4j.queue"))).contains("dev.cse4j.core", "com.azure.storage.queue");
        assertThat(transitive(modules.get("dev.cse4j.table"))).contains("dev.cse4j.core", "com.azure.data.tables");
    }

    @Test
    void aUsersModule_compilesAgainstTheApi_withNoRequiresButCse4j() throws Exception {
        Javac.Result result = Javac.compile(Files.createDirectories(dir.resolve("out")), modulePathOption(), Map.of(
            "module-info.java", "module app { requires dev.cse4j.blob; requires dev.cse4j.queue; "
                + "requires dev.cse4j.table; }",
            "app/App.java", """
                package app;

                import com.azure.storage.blob.BlobServiceClient;
                import com.azure.storage.blob.BlobServiceClientBuilder;
                import dev.cse4j.blob.EncryptedBlobServiceClient;
                import dev.cse4j.blob.EncryptedBlobServiceClientBuilder;
                import dev.cse4j.core.ClientSideEncryptionOptions;
                import dev.cse4j.keys.AesKeyWrapKey;
                import dev.cse4j.keys.KeyWrapAlgorithm;
                import dev.cse4j.queue.EncryptedQueueClientBuilder;
                import dev.cse4j.table.EncryptedTableClientBuilder;

                public final class App {
                    public static EncryptedBlobServiceClient blobs(String connectionString) {
                        AesKeyWrapKey kek = AesKeyWrapKey.of("kek", new byte[32]);
                        ClientSideEncryptionOptions options = ClientSideEncryptionOptions.builder()
                            .key(kek, KeyWrapAlgorithm.A256KW).build();
                        BlobServiceClient plain = new BlobServiceClientBuilder().connectionString(connectionString)
                            .buildClient();
                        new EncryptedQueueClientBuilder();
                        new EncryptedTableClientBuilder();
                        return new EncryptedBlobServiceClientBuilder().blobServiceClient(plain)
                            .clientSideEncryptionOptions(options).buildEncryptedBlobServiceClient();
                    }
                }
                """));

        assertThat(result.success()).as(result.toString()).isTrue();
    }

    @Test
    void aUsersModule_cannotUseImplementationPackages() throws Exception {
        Javac.Result result = Javac.compile(Files.createDirectories(dir.resolve("out")), modulePathOption(), Map.of(
            "module-info.java", "module app { requires dev.cse4j.blob; }",
            "app/App.java", """
                package app;

                public final class App {
                    public static int overhead() {
                        return dev.cse4j.core.implementation.RegionLayout.OVERHEAD;
                    }
                }
                """));

        assertThat(result.success()).isFalse();
        assertThat(result.errors()).anyMatch(e -> e.contains("dev.cse4j.core.implementation")
            && e.contains("not visible"));
    }

    @Test
    void aUsersModule_runsOnTheModulePath_againstTheService(Azurite azurite) throws Exception {
        Path out = Files.createDirectories(dir.resolve("out"));
        Javac.Result compiled = Javac.compile(out, modulePathOption(), Map.of(
            "module-info.java", "module app { requires dev.cse4j.blob; }",
            "app/Main.java", """
                package app;

                import com.azure.core.util.BinaryData;
                import dev.cse4j.blob.EncryptedBlobClient;
                import dev.cse4j.blob.EncryptedBlobServiceClientBuilder;
                import dev.cse4j.core.ClientSideEncryptionOptions;
                import dev.cse4j.keys.AesKeyWrapKey;
                import dev.cse4j.keys.KeyWrapAlgorithm;

                public final class Main {
                    public static void main(String[] args) {
                        ClientSideEncryptionOptions options = ClientSideEncryptionOptions.builder()
                            .key(AesKeyWrapKey.of("module-kek", new byte[32]), KeyWrapAlgorithm.A256KW).build();
                        EncryptedBlobClient blob = new EncryptedBlobServiceClientBuilder().connectionString(args[0])
                            .clientSideEncryptionOptions(options).buildEncryptedBlobServiceClient()
                            .createBlobContainerIfNotExists("modules").getEncryptedBlobClient("hello");
                        blob.upload(BinaryData.fromString("hello from a module"), true);
                        System.out.println(blob.downloadContent() + " / " + blob.inspect().protocol()
                            + " / " + Main.class.getModule().getLayer().findModule("dev.cse4j.blob").isPresent());
                    }
                }
                """));
        assertThat(compiled.success()).as(compiled.toString()).isTrue();

        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process process = new ProcessBuilder(java.toString(), "--module-path",
            out + File.pathSeparator + modulePathOption().get(1), "-m", "app/app.Main", azurite.connectionString())
            .redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);

        assertThat(process.waitFor()).as(output).isZero();
        assertThat(output).contains("hello from a module / 2.0 / true");
    }

    private static List<String> modulePathOption() {
        return List.of("--module-path", modulePath().stream().map(Path::toString)
            .collect(Collectors.joining(File.pathSeparator)));
    }

    private static Map<String, Set<String>> exports(ModuleDescriptor module) {
        return module.exports().stream()
            .collect(Collectors.toMap(ModuleDescriptor.Exports::source, ModuleDescriptor.Exports::targets));
    }

    private static Set<String> transitive(ModuleDescriptor module) {
        return module.requires().stream()
            .filter(r -> r.modifiers().contains(ModuleDescriptor.Requires.Modifier.TRANSITIVE))
            .map(ModuleDescriptor.Requires::name)
            .collect(Collectors.toSet());
    }
}
