package dev.outpost.client;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Every line of the README's Java snippets appears in {@link DocumentationSnippetsTest}, which compiles and runs them. */
class ReadmeSnippetsTest {
    private static final Path README = Path.of("README.md");
    private static final Path SNIPPETS = Path.of("src/test/java/dev/outpost/client/DocumentationSnippetsTest.java");

    @Test
    void everyReadmeSnippetLineIsCompiledByTheSnippetsTest() throws IOException {
        Set<String> compiled = Files.readAllLines(SNIPPETS).stream().map(String::trim).collect(Collectors.toSet());
        List<String> missing = new ArrayList<>();
        int lines = 0;
        boolean inJava = false;
        for (String line : Files.readAllLines(README)) {
            if (line.startsWith("```java")) {
                inJava = true;
            } else if (line.startsWith("```")) {
                inJava = false;
            } else if (inJava && !line.isBlank()) {
                lines++;
                if (!compiled.contains(line.trim())) {
                    missing.add(line.trim());
                }
            }
        }
        assertThat(lines).as("Java snippet lines in the README").isGreaterThanOrEqualTo(5);
        assertThat(missing).as("README snippet lines not compiled in DocumentationSnippetsTest").isEmpty();
    }
}
