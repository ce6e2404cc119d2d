package io.tokencast.trust.signing;

/**
 * Which of the two key sets a key belongs to. They are never mixed: a record signed with an operator key is
 * not a token, and a command signed with a refresher key is not an operator's command.
 */
public enum KeySetRole {
    /** The refresher's keys: tokens, retirements, credentials, audit records. */
    REFRESHER,
    /** The operators' keys, each with a {@code name}: commands on the admin topic. */
    OPERATORS
}
