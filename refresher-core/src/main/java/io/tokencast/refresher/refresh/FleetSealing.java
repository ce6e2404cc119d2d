package io.tokencast.refresher.refresh;

import io.tokencast.refresher.encryption.KeyGate;
import io.tokencast.schema.TokenRefreshed;
import io.tokencast.trust.encryption.RecordEncryption;
import java.util.List;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Chooses the kid a new version is sealed under, so that no live consumer loses the token to a key it does not
 * hold yet (docs/security.md §5.3, step 2). Apart from the write because it is the one place where a key
 * promotion waits for the fleet, and the reason a version may stay under an older kid, or in plaintext.
 */
final class FleetSealing {

    private static final Logger log = LoggerFactory.getLogger(FleetSealing.class);

    private final RecordEncryption encryption;
    private final KeyGate keyGate;

    FleetSealing(RecordEncryption encryption, KeyGate keyGate) {
        this.encryption = encryption;
        this.keyGate = keyGate;
    }

    /**
     * Whether a token of {@code key} could be sealed at all: false with encryption on and no scope of the
     * keyring matching the key. Asked before the fetch, since a fetched token that cannot be stored is lost.
     */
    boolean canSeal(String key) {
        return !encryption.enabled() || encryption.writeKid(key).isPresent();
    }

    /**
     * {@code plain} sealed under the keyring's kid for its key, unless live consumers covering the key could not
     * read that kid: then under the kid of the current version, which they read today, or in plaintext when the
     * current version is plaintext. A promotion waits; nobody loses the token.
     */
    TokenRefreshed seal(TokenRefreshed current, TokenRefreshed plain) {
        if (!encryption.enabled()) {
            return plain;
        }
        String key = plain.tokenKey().asString();
        // present: checked before the fetch
        String kid = encryption.writeKid(key).orElseThrow();
        Optional<String> currentKid = current == null ? Optional.empty() : RecordEncryption.kid(current);
        if (current == null || currentKid.filter(kid::equals).isPresent()) {
            return encryption.seal(plain, kid);
        }
        List<String> unable = keyGate.unableToRead(key, kid);
        if (unable.isEmpty()) {
            return encryption.seal(plain, kid);
        }
        if (currentKid.isPresent() && encryption.keyring().holds(currentKid.get())) {
            log.warn(
                    "key promotion held back key={} kid={} stillUsing={} unableToRead={}",
                    key,
                    kid,
                    currentKid.get(),
                    unable);
            return encryption.seal(plain, currentKid.get());
        }
        if (currentKid.isEmpty()) {
            log.warn(
                    "encryption not turned on for key={} yet: kid={} unableToRead={}; still publishing in plaintext",
                    key,
                    kid,
                    unable);
            return plain;
        }
        // The current kid has left the keyring: nothing readable is left to keep.
        return encryption.seal(plain, kid);
    }
}
