package io.prefpipe.app.serve;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class BearerTokenAuthTest {
    private static final String TOKEN = "0123456789abcdef-token";
    private final BearerTokenAuth auth = new BearerTokenAuth("/v1/*", TOKEN, new IngressCounts());

    @Test
    void accepts_theTokenAfterBearer_schemeInAnyCase() {
        assertThat(auth.accepts("Bearer " + TOKEN)).isTrue();
        assertThat(auth.accepts("bearer " + TOKEN)).isTrue();
    }

    @Test
    void accepts_anythingElse_isFalse() {
        assertThat(auth.accepts(null)).isFalse();
        assertThat(auth.accepts("")).isFalse();
        assertThat(auth.accepts("Bearer ")).isFalse();
        assertThat(auth.accepts(TOKEN)).as("no scheme").isFalse();
        assertThat(auth.accepts("Basic " + TOKEN)).isFalse();
        assertThat(auth.accepts("Bearer " + TOKEN + "x")).isFalse();
        assertThat(auth.accepts("Bearer " + TOKEN.substring(1))).isFalse();
    }

    @Test
    void new_shortOrSpacedToken_isRefused() {
        assertThatThrownBy(() -> new BearerTokenAuth("/v1/*", "short", new IngressCounts()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("at least 16 chars");
        assertThatThrownBy(() -> new BearerTokenAuth("/v1/*", "has a space in the token", new IngressCounts()))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
