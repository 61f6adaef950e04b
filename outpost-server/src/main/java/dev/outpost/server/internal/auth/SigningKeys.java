package dev.outpost.server.internal.auth;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import java.io.IOException;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.file.Path;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.Objects;
import java.util.concurrent.locks.ReentrantLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Public keys that verify RS256 and ES256 tokens: a JSON Web Key Set (JWKS) from a file or an {@code http(s)} URL,
 * loaded and parsed by Nimbus JOSE+JWT.
 *
 * <p>The keys are kept in memory. A token whose {@code kid} is not among them makes the set be read again, so that
 * a provider's key rotation works without a restart; the set is also read again when it is older than
 * {@link #MAX_AGE}, so that a withdrawn key stops working. Either way the set is read <em>at most once per
 * refetch interval</em> on the server's clock, however many tokens with unknown keys arrive: a refetch that is not
 * due, or that fails, keeps the keys already held (a failure is logged). Nimbus' own rate-limited source allows two
 * fetches per interval and reads the system clock, which is why the limit is kept here.
 *
 * <p>Thread-safe: tokens with known keys never wait; one thread refetches while the others that need the new set
 * wait for it.
 */
public final class SigningKeys implements JWKSource<SecurityContext> {
    /** How long a key set is used before it is read again (subject to the refetch interval). */
    public static final Duration MAX_AGE = Duration.ofMinutes(5);
    /** The default shortest time between two reads of a key set. */
    public static final Duration DEFAULT_REFETCH_INTERVAL = Duration.ofSeconds(30);
    private static final Logger LOG = LoggerFactory.getLogger(SigningKeys.class);
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 5_000;
    private static final int SIZE_LIMIT_BYTES = 512 * 1024;

    private final String location;
    private final URL url;
    private final Path file;
    private final Duration refetchInterval;
    private final Clock clock;
    private final ReentrantLock lock = new ReentrantLock();
    private volatile Loaded current;
    private Instant lastAttempt;

    private record Loaded(JWKSet keys, Instant at) {
    }

    private SigningKeys(String location, URL url, Path file, Duration refetchInterval, Clock clock) {
        this.location = location;
        this.url = url;
        this.file = file;
        this.refetchInterval = Objects.requireNonNull(refetchInterval, "refetchInterval");
        this.clock = Objects.requireNonNull(clock, "clock");
    }

    /**
     * Keys from {@code location}: an {@code http://} or {@code https://} URL, or else a file path. Nothing is read
     * yet: call {@link #load()}.
     *
     * @throws IllegalArgumentException if {@code location} looks like a URL and is not a valid one, or is blank
     */
    public static SigningKeys at(String location, Duration refetchInterval, Clock clock) {
        URL url = url(location);
        return new SigningKeys(location, url, url == null ? Path.of(location) : null, refetchInterval, clock);
    }

    /**
     * Checks that {@code location} is not blank and, if it looks like a URL, a valid one (nothing is read).
     *
     * @throws IllegalArgumentException if not
     */
    public static void validate(String location) {
        url(location);
    }

    private static URL url(String location) {
        if (location == null || location.isBlank()) {
            throw new IllegalArgumentException("the JWKS location is empty");
        }
        if (!isUrl(location)) {
            return null;
        }
        try {
            return new URI(location.strip()).toURL();
        } catch (URISyntaxException | MalformedURLException | IllegalArgumentException e) {
            throw new IllegalArgumentException("'" + location + "' is not a valid JWKS URL", e);
        }
    }

    /** Whether {@code location} names an {@code http(s)} URL rather than a file. */
    public static boolean isUrl(String location) {
        String lower = location.strip().toLowerCase(Locale.ROOT);
        return lower.startsWith("http://") || lower.startsWith("https://");
    }

    /** Whether the keys come from a URL (rather than a file). */
    public boolean isRemote() {
        return url != null;
    }

    /** Where the keys come from, as configured. */
    public String location() {
        return location;
    }

    /**
     * Reads the key set now (at start-up), whether or not a refetch is due.
     *
     * @throws IllegalArgumentException saying in one line why the set could not be read or is not a valid JWKS
     *                                  with at least one public key
     */
    public void load() {
        lock.lock();
        try {
            lastAttempt = clock.instant();
            current = new Loaded(read(), lastAttempt);
        } finally {
            lock.unlock();
        }
    }

    @Override
    public List<JWK> get(JWKSelector selector, SecurityContext context) throws KeySourceException {
        Loaded seen = current;
        if (seen == null) {
            seen = refetch(null, true);
            if (seen == null) {
                throw new KeySourceException("the signing keys at " + location + " could not be read");
            }
        } else if (clock.instant().isAfter(seen.at().plus(MAX_AGE))) {
            // Old keys still verify while another thread reads the set: only this check may skip the wait.
            seen = refetch(seen, false);
        }
        List<JWK> keys = selector.select(seen.keys());
        if (!keys.isEmpty()) {
            return keys;
        }
        Loaded again = refetch(seen, true);
        return again == seen ? List.of() : selector.select(again.keys());
    }

    /**
     * The keys after reading the set again if that is due: {@code seen} when it is not (or when it fails, or when
     * {@code wait} is false and another thread is reading), the set another thread read meanwhile, or a new one.
     */
    private Loaded refetch(Loaded seen, boolean wait) {
        if (wait) {
            lock.lock();
        } else if (!lock.tryLock()) {
            return seen;
        }
        try {
            if (current != seen) {
                return current;
            }
            Instant now = clock.instant();
            if (lastAttempt != null && now.isBefore(lastAttempt.plus(refetchInterval))) {
                return seen;
            }
            lastAttempt = now;
            try {
                current = new Loaded(read(), now);
                LOG.info("read the signing keys at {} ({} keys)", location, current.keys().size());
            } catch (IllegalArgumentException e) {
                LOG.warn("{}; {}", e.getMessage(), seen == null ? "tokens that need these keys are refused"
                        : "the keys read before are kept");
            }
            return current;
        } finally {
            lock.unlock();
        }
    }

    private JWKSet read() {
        JWKSet set;
        try {
            set = url != null ? JWKSet.load(url, CONNECT_TIMEOUT_MILLIS, READ_TIMEOUT_MILLIS, SIZE_LIMIT_BYTES)
                    : JWKSet.load(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("cannot read the JWKS " + (url != null ? "URL " : "file ") + location
                    + ": " + describe(e));
        } catch (ParseException e) {
            throw new IllegalArgumentException("the JWKS " + (url != null ? "at " : "file ") + location
                    + " is not a valid JSON Web Key Set: " + e.getMessage());
        }
        JWKSet publicKeys = set.toPublicJWKSet();
        if (publicKeys.isEmpty()) {
            throw new IllegalArgumentException("the JWKS " + (url != null ? "at " : "file ") + location
                    + " holds no public keys");
        }
        return publicKeys;
    }

    private static String describe(IOException e) {
        String message = e.getMessage();
        return message == null || message.isBlank() ? e.getClass().getSimpleName()
                : e.getClass().getSimpleName() + ": " + message;
    }
}
