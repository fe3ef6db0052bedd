package io.prefpipe.app.serve;

import io.javalin.config.RoutesConfig;
import io.javalin.http.Context;
import io.prefpipe.app.http.ServeRoutes;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Objects;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Refuses every request under a path without the configured bearer token ({@code Authorization: Bearer <token>})
 * with 401, before its handler reads the body. The comparison takes the same time whatever the token sent: both are
 * hashed with SHA-256 and the digests compared with {@link MessageDigest#isEqual}, so neither the content nor the
 * length of the configured token leaks through timing.
 */
public final class BearerTokenAuth implements ServeRoutes {
    /** Shorter tokens are refused at start: they could be guessed. */
    public static final int MIN_TOKEN_CHARS = 16;

    private static final Logger LOG = LoggerFactory.getLogger(BearerTokenAuth.class);
    private static final String PREFIX = "Bearer ";

    private final String pathPattern;
    private final byte[] expectedDigest;
    private final IngressCounts counts;

    /**
     * @param pathPattern the Javalin path the check guards, e.g. {@code /v1/*}
     * @param token the token clients must send
     * @param counts where refused requests are counted, as {@code unauthorized}
     * @throws IllegalArgumentException if the token is shorter than {@value #MIN_TOKEN_CHARS} chars or has
     *     whitespace
     */
    public BearerTokenAuth(String pathPattern, String token, IngressCounts counts) {
        this.pathPattern = Objects.requireNonNull(pathPattern, "pathPattern");
        Objects.requireNonNull(token, "token");
        if (token.length() < MIN_TOKEN_CHARS || token.chars().anyMatch(Character::isWhitespace)) {
            throw new IllegalArgumentException("the bearer token must have at least " + MIN_TOKEN_CHARS
                    + " chars and no whitespace, got " + token.length() + " chars");
        }
        this.expectedDigest = sha256(token);
        this.counts = Objects.requireNonNull(counts, "counts");
    }

    @Override
    public void register(RoutesConfig routes) {
        routes.before(pathPattern, this::check);
    }

    /** Whether an {@code Authorization} header value carries the token. */
    boolean accepts(String authorization) {
        String sent = authorization != null && authorization.regionMatches(true, 0, PREFIX, 0, PREFIX.length())
                ? authorization.substring(PREFIX.length()).trim()
                : "";
        // hashed even when absent, so a missing header takes as long as a wrong one
        return MessageDigest.isEqual(expectedDigest, sha256(sent)) && !sent.isEmpty();
    }

    private void check(Context ctx) {
        if (accepts(ctx.header("Authorization"))) {
            return;
        }
        counts.request(IngressCounts.UNAUTHORIZED);
        LOG.warn("{} {} from {}: 401, {} bearer token", ctx.method(), ctx.path(), ctx.ip(),
                ctx.header("Authorization") == null ? "no" : "wrong");
        ctx.header("WWW-Authenticate", "Bearer");
        JsonReplies.error(ctx, 401, "unauthorized", "this endpoint needs the header 'Authorization: Bearer <token>' "
                + "with the token prefpipe serve was started with");
        ctx.skipRemainingHandlers();
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
