package io.tokencast.refresher.service.signing;

import java.nio.file.Path;
import java.time.Instant;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.bind.DefaultValue;

/**
 * How the refresher signs what it writes and verifies what it reads back (docs/security.md §4).
 *
 * @param enabled {@code false} writes unsigned records and verifies nothing (development only: logged as a WARN
 *     at start); on by default, and then {@code key-file} is required
 * @param keyFile the refresher's private signing key: a JWK set with one {@code OKP}/{@code Ed25519} or
 *     {@code EC}/{@code P-256} key with a {@code kid}, readable by its owner only ({@code tokencast keys generate --refresher}
 *     writes one)
 * @param verificationKeysFile the public refresher JWK set the refresher's own readers trust (Redis, the tokens
 *     and credentials topics); default: the public half of {@code key-file}. During a rotation it holds the old
 *     and the new public key
 * @param acceptUnsignedUntil for the upgrade from unsigned records only: until this instant, a record read back
 *     without any {@code signature} is still taken (counted in {@code tokencast.records.unsigned.accepted}), and
 *     a credential so read is stored again, signed. At most 30 days ahead; unset afterwards
 */
@ConfigurationProperties("tokencast.signing")
public record SigningProperties(
        @DefaultValue("true") boolean enabled, Path keyFile, Path verificationKeysFile, Instant acceptUnsignedUntil) {}
