package dev.cse4j.packaging;

import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import javax.xml.parsers.DocumentBuilderFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * cse4j-bom, which has no parent (so that importing it imports no other version), manages every library module (a
 * module with a module descriptor) at the build's version, and nothing else.
 */
class BomTest {
    /** The repository root: tests run in cse4j-cli. */
    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    @Test
    void bom_managesEveryLibraryModule_atTheParentsVersion() throws Exception {
        Element parent = read(ROOT.resolve("pom.xml"));
        Element bom = read(ROOT.resolve("cse4j-bom/pom.xml"));
        List<String> libraries = new ArrayList<>();
        for (String module : texts(child(parent, "modules"), "module")) {
            if (Files.isRegularFile(ROOT.resolve(module).resolve("src/main/java/module-info.java"))) {
                libraries.add(module);
            }
        }

        assertThat(child(bom, "parent")).as("the BOM has no parent").isNull();
        assertThat(text(bom, "version")).isEqualTo(text(parent, "version"));
        assertThat(texts(child(bom, "modules"), "module")).isEmpty();
        assertThat(libraries).contains("cse4j-core", "cse4j-blob", "cse4j-queue", "cse4j-table");
        Element managed = child(child(bom, "dependencyManagement"), "dependencies");
        List<String> artifacts = new ArrayList<>();
        for (Node node = managed.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element dependency) {
                assertThat(text(dependency, "groupId")).isEqualTo("dev.cse4j");
                assertThat(text(dependency, "version")).isEqualTo("${project.version}");
                artifacts.add(text(dependency, "artifactId"));
            }
        }
        assertThat(artifacts).containsExactlyInAnyOrderElementsOf(libraries);
    }

    private static Element read(Path pom) throws Exception {
        Document document = DocumentBuilderFactory.newInstance().newDocumentBuilder().parse(pom.toFile());
        return document.getDocumentElement();
    }

    private static Element child(Element element, String name) {
        if (element == null) {
            return null;
        }
        NodeList children = element.getChildNodes();
        for (int i = 0; i < children.getLength(); i++) {
            if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element element, String name) {
        Element child = child(element, name);
        return child == null ? null : child.getTextContent().trim();
    }

    private static List<String> texts(Element element, String name) {
        List<String> values = new ArrayList<>();
        if (element != null) {
            NodeList children = element.getChildNodes();
            for (int i = 0; i < children.getLength(); i++) {
                if (children.item(i) instanceof Element e && e.getTagName().equals(name)) {
                    values.add(e.getTextContent().trim());
                }
            }
        }
        return values;
    }
}
