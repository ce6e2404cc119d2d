package io.tokencast.sidecar;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Optional;

/**
 * The optional local shared token guarding the token endpoints. A caller shows it in
 * {@code Authorization: Bearer …} or {@code X-Tokencast-Token}; an unmodified SDK, which sends no custom
 * header, shows it as the AppSecret it is configured with (so that SDK never holds a real AppSecret).
 */
final class SharedToken {

    private final byte[] expected;

    SharedToken(Optional<String> token) {
        this.expected = token.map(t -> t.getBytes(StandardCharsets.UTF_8)).orElse(null);
    }

    boolean required() {
        return expected != null;
    }

    /** Whether the call shows the token in a header, or as {@code presentedSecret} (may be null). */
    boolean admits(HttpCall call, String presentedSecret) {
        if (expected == null) {
            return true;
        }
        String authorization = call.header().apply("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Bearer ", 0, 7)) {
            if (same(authorization.substring(7).strip())) {
                return true;
            }
        }
        return same(call.header().apply("X-Tokencast-Token")) || same(presentedSecret);
    }

    private boolean same(String presented) {
        // Constant time: the comparison must not tell a prober how much of its guess was right.
        return presented != null && MessageDigest.isEqual(expected, presented.getBytes(StandardCharsets.UTF_8));
    }
}
