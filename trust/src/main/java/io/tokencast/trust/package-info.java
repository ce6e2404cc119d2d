/**
 * Integrity and confidentiality of tokencast records (docs/security.md): signatures in
 * {@code io.tokencast.trust.signing}, encryption in {@code io.tokencast.trust.encryption}.
 */
package io.tokencast.trust;
