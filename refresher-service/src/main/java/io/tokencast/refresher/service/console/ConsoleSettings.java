package io.tokencast.refresher.service.console;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * The operator console ({@code tokencast.console.*}). Nobody can log in until a user is configured (or OIDC
 * with a listed operator): secure by default.
 *
 * @param users operators who log in with a password; only its bcrypt hash is configured
 * @param oidcOperators user names (OIDC {@code preferred_username}, else {@code email}, else subject) allowed in
 *     through OIDC login, when a {@code spring.security.oauth2.client.registration.*} is configured
 * @param maxKeys most token keys one page shows (the rest are counted, not listed)
 * @param auditLookBack how far back the console reads the audit topic at start
 * @param historyPerKey audit records kept per key
 * @param deadLetters dead letters kept, newest first
 * @param push how often the page's live data is pushed (server-sent events)
 * @param operatorKeyFile the console's own operator key: a private JWK set with one key (from {@code tokencast keys
 *     generate --operator --name console}), whose public half the refreshers' {@code
 *     tokencast.admin.operator-keys-file} holds. The console signs its commands with it and names the logged-in
 *     user in {@code onBehalfOf}; without it the refresh buttons are refused
 */
@ConfigurationProperties("tokencast.console")
public record ConsoleSettings(
        List<User> users,
        List<String> oidcOperators,
        @DefaultValue("500") int maxKeys,
        @DefaultValue("24h") Duration auditLookBack,
        @DefaultValue("20") int historyPerKey,
        @DefaultValue("50") int deadLetters,
        @DefaultValue("1s") Duration push,
        Path operatorKeyFile) {

    private static final Pattern BCRYPT = Pattern.compile("^\\$2[aby]?\\$\\d{2}\\$[./A-Za-z0-9]{53}$");

    public ConsoleSettings {
        users = users == null ? List.of() : List.copyOf(users);
        oidcOperators = oidcOperators == null ? List.of() : List.copyOf(oidcOperators);
        if (maxKeys < 1 || historyPerKey < 1 || deadLetters < 1) {
            throw new IllegalArgumentException(
                    "tokencast.console.max-keys, history-per-key and dead-letters must be positive");
        }
        if (push == null || push.compareTo(Duration.ofMillis(100)) < 0) {
            throw new IllegalArgumentException("tokencast.console.push must be at least 100ms, was " + push);
        }
    }

    /**
     * One operator.
     *
     * @param name the login name, also the {@code requestedBy} of the commands this operator sends
     * @param passwordHash a bcrypt hash ({@code $2a$…}, e.g. from {@code htpasswd -bnBC 10 "" secret}); never the
     *     password itself
     */
    public record User(String name, String passwordHash) {

        public User {
            if (name == null || name.isBlank() || name.length() > 100) {
                throw new IllegalArgumentException("tokencast.console.users[].name must be 1 to 100 characters");
            }
            if (passwordHash == null || !BCRYPT.matcher(passwordHash).matches()) {
                throw new IllegalArgumentException("tokencast.console.users[].password-hash of '" + name
                        + "' is not a bcrypt hash ($2a$10$ and 53 more characters); configure the hash, never"
                        + " the password");
            }
        }

        @Override
        public String toString() {
            return "User[name=" + name + ", passwordHash=<redacted>]";
        }
    }
}
