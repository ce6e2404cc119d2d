/**
 * Integrity and confidentiality of tokencast records (docs/security.md): signatures in
 * {@code io.tokencast.trust.signing}, encryption in {@code io.tokencast.trust.encryption}, and the one reading of a
 * tokens- or credentials-topic record, signature included, in {@code io.tokencast.trust.records}.
 */
package io.tokencast.trust;
