package io.tokencast.demo;

import java.security.SecureRandom;
import java.util.HexFormat;
import org.springframework.security.crypto.bcrypt.BCryptPasswordEncoder;

/**
 * The demo's console operator: a fresh password each run, printed once; the refreshers are given only its
 * bcrypt hash, as production configuration would be.
 */
record ConsoleLogin(String user, String password, String passwordHash) {

    static ConsoleLogin fresh() {
        byte[] random = new byte[6];
        new SecureRandom().nextBytes(random);
        String password = HexFormat.of().formatHex(random);
        return new ConsoleLogin("demo", password, new BCryptPasswordEncoder().encode(password));
    }

    @Override
    public String toString() {
        return "ConsoleLogin[user=" + user + ", password=<redacted>]";
    }
}
