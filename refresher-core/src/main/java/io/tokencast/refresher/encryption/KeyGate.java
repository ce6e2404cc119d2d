package io.tokencast.refresher.encryption;

import java.util.List;

/**
 * Whether the fleet can read a record encrypted under a kid (docs/security.md §5.3, step 2 of a rotation): the
 * refresher promotes a key for a token key, or turns encryption on for it, only when no live consumer whose
 * key patterns cover that token key lacks the kid.
 */
public interface KeyGate {

    /**
     * The live consumers that would be unable to read {@code recordKey} under {@code kid}: instance ids, or a
     * sentence saying why the answer is not known yet. Empty: the kid may be written.
     */
    List<String> unableToRead(String recordKey, String kid);

    /** A gate that lets every kid through: no fleet view, or the operator's explicit override. */
    static KeyGate open() {
        return (recordKey, kid) -> List.of();
    }
}
