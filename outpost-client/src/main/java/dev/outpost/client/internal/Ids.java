package dev.outpost.client.internal;

import com.fasterxml.uuid.Generators;
import com.fasterxml.uuid.impl.TimeBasedEpochGenerator;

/**
 * New record and operation ids: time-ordered UUIDs (version 7, RFC 9562), so that records created one after another
 * sit next to each other in the store's indexes (a local write then touches the last index pages instead of random
 * ones) and still cannot collide with ids made elsewhere. Thread-safe.
 */
public final class Ids {
    private static final TimeBasedEpochGenerator GENERATOR = Generators.timeBasedEpochGenerator();

    private Ids() {
    }

    /** A new id, in the canonical 36-character UUID form. */
    public static String next() {
        return GENERATOR.generate().toString();
    }
}
