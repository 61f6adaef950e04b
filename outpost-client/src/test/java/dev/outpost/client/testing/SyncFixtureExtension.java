package dev.outpost.client.testing;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.Extension;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;
import org.junit.jupiter.api.extension.TestTemplateInvocationContext;
import org.junit.jupiter.api.extension.TestTemplateInvocationContextProvider;

/**
 * Runs a {@link SyncTest} once per target with a fresh {@link SyncFixture} in a temporary directory, closes the
 * fixture after each run (also when the run fails), deletes the directory, and fails the run if it left an Outpost
 * thread alive ({@link OutpostThreads}).
 */
final class SyncFixtureExtension implements TestTemplateInvocationContextProvider {

    @Override
    public boolean supportsTestTemplate(ExtensionContext context) {
        return context.getRequiredTestMethod().isAnnotationPresent(SyncTest.class);
    }

    @Override
    public Stream<TestTemplateInvocationContext> provideTestTemplateInvocationContexts(ExtensionContext context) {
        Target[] named = context.getRequiredTestMethod().getAnnotation(SyncTest.class).value();
        return Arrays.stream(named.length == 0 ? Target.values() : named).map(Run::new);
    }

    /** One run of a sync test against one target. */
    private static final class Run implements TestTemplateInvocationContext, BeforeEachCallback, ParameterResolver,
            AfterEachCallback {
        private final Target target;
        private OutpostThreads threads;
        private Path dir;
        private SyncFixture fixture;

        Run(Target target) {
            this.target = target;
        }

        @Override
        public String getDisplayName(int invocationIndex) {
            return "[" + target + "]";
        }

        @Override
        public List<Extension> getAdditionalExtensions() {
            return List.of(this);
        }

        /**
         * Starts the fixture before the test (not while resolving its parameter: a target that cannot run here aborts
         * the run with an assumption, which must not turn into a resolution failure).
         */
        @Override
        public void beforeEach(ExtensionContext context) throws IOException {
            threads = OutpostThreads.snapshot();
            dir = Files.createTempDirectory("outpost-sync-test-");
            fixture = new SyncFixture(target, dir);
        }

        @Override
        public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
            Class<?> type = parameter.getParameter().getType();
            return type == SyncFixture.class || type == Target.class;
        }

        @Override
        public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
            if (parameter.getParameter().getType() == Target.class) {
                return target;
            }
            return fixture;
        }

        @Override
        public void afterEach(ExtensionContext context) throws IOException {
            if (fixture == null) {
                if (dir != null) {
                    delete(dir);
                }
                return;
            }
            try {
                fixture.close();
            } finally {
                delete(dir);
            }
            threads.assertNoneLeaked();
        }

        private static void delete(Path dir) throws IOException {
            try (Stream<Path> paths = Files.walk(dir)) {
                for (Path path : paths.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(path);
                }
            }
        }
    }
}
