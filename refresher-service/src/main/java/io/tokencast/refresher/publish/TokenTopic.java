package io.tokencast.refresher.publish;

import io.tokencast.schema.TokenKey;
import io.tokencast.schema.TokenRefreshed;
import java.util.Map;

/** The compacted tokens topic as the durable record of every key's latest version. */
public interface TokenTopic {

    /**
     * Reads the topic from the beginning up to the end offsets taken when the call starts and returns the
     * highest version of each key (keys whose last record is a tombstone are left out).
     *
     * @throws PublishException when the topic cannot be read to its end in time
     */
    Map<TokenKey, TokenRefreshed> readToEnd();
}
