package io.tokencast.refresher.service;

import java.net.http.HttpRequest;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * An operator login for the test replicas: health details and the operator-only Actuator endpoints on the
 * management port answer it over HTTP Basic, as they answer the console's users.
 */
public final class TestOperator {

    public static final String NAME = "test-operator";
    private static final String PASSWORD = UUID.randomUUID().toString();
    // bcrypt is slow on purpose: hash once per test JVM.
    private static final String HASH = new BCryptPasswordEncoder(4).encode(PASSWORD);

    private TestOperator() {}

    /** The properties that make this operator a console user of a replica. */
    public static List<String> properties() {
        return List.of("tokencast.console.users[0].name=" + NAME, "tokencast.console.users[0].password-hash=" + HASH);
    }

    /** {@code request} with this operator's Basic credentials. */
    public static HttpRequest.Builder authenticated(HttpRequest.Builder request) {
        String credentials = NAME + ":" + PASSWORD;
        return request.header(
                "Authorization",
                "Basic " + Base64.getEncoder().encodeToString(credentials.getBytes(StandardCharsets.UTF_8)));
    }
}
