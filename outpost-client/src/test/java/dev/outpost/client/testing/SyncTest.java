package dev.outpost.client.testing;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.TestTemplate;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * A sync test: the method runs once per target (every {@link dev.outpost.client.testing.Target} unless some are
 * named), each time with a fresh {@link SyncFixture} passed as a parameter (and the target itself, when the method
 * asks for one), closed after the run however it ends; then no Outpost thread the run started may still be alive.
 *
 * <pre>{@code
 * @SyncTest({Target.FAKE_NATIVE, Target.OUTPOST_AUTO})
 * void pulledRecordsArriveOnce(SyncFixture fixture) { ... }
 * }</pre>
 */
@Target(ElementType.METHOD)
@Retention(RetentionPolicy.RUNTIME)
@TestTemplate
@ExtendWith(SyncFixtureExtension.class)
public @interface SyncTest {
    /** The targets to run against; none named: all of them. */
    dev.outpost.client.testing.Target[] value() default {};
}
