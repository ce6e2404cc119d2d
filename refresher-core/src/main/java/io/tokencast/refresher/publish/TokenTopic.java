package io.tokencast.refresher.publish;

import io.tokencast.refresher.signing.SignedEvent;
import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.util.Map;
import java.util.function.Predicate;

/** The compacted tokens topic as the durable record of every key's latest version. */
public interface TokenTopic {

    /**
     * Reads the topic from the beginning up to the end offsets taken when the call starts and returns the
     * highest verified version of each key with its bytes as read (keys whose last record is a tombstone are
     * left out; records that fail verification are rejected, counted and skipped).
     *
     * @throws PublishException when the topic cannot be read to its end in time
     */
    default Map<TokenKey, SignedEvent<TokenRefreshed>> readToEnd() {
        return readToEnd(key -> true);
    }

    /**
     * {@link #readToEnd()} keeping only the keys {@code wanted} accepts, so that keys on the topic the reader
     * does not manage (any number of them: the topic is shared) cost no memory.
     */
    Map<TokenKey, SignedEvent<TokenRefreshed>> readToEnd(Predicate<TokenKey> wanted);
}
