package io.tokencast.trust.signing;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.OctetKeyPair;
import com.nimbusds.jose.util.Base64URL;
import org.bouncycastle.crypto.params.Ed25519PrivateKeyParameters;
import org.bouncycastle.crypto.params.Ed25519PublicKeyParameters;
import org.bouncycastle.crypto.signers.Ed25519Signer;

/** The two signature algorithms tokencast accepts, named as in a JWS header; a JWK decides which one applies. */
enum Algorithm {
    EdDSA,
    ES256;

    private static final JWSHeader ES256_HEADER = new JWSHeader(JWSAlgorithm.ES256);

    /** The algorithm of a key: {@code OKP}/{@code Ed25519} or {@code EC}/{@code P-256}; anything else is refused. */
    static Algorithm of(JWK jwk) {
        if (jwk instanceof OctetKeyPair okp && Curve.Ed25519.equals(okp.getCurve())) {
            return EdDSA;
        }
        if (jwk instanceof ECKey ec && Curve.P_256.equals(ec.getCurve())) {
            return ES256;
        }
        throw new IllegalArgumentException("key '" + jwk.getKeyID() + "' is " + jwk.getKeyType()
                + (jwk instanceof OctetKeyPair okp ? "/" + okp.getCurve() : "")
                + (jwk instanceof ECKey ec ? "/" + ec.getCurve() : "")
                + "; tokencast signs with OKP/Ed25519 (EdDSA) or EC/P-256 (ES256) only");
    }

    /** Checks a signature over {@code signingInput}; thread-safe. */
    interface Verifier {
        boolean verify(byte[] signingInput, byte[] signature);
    }

    /** Signs {@code signingInput}; thread-safe. */
    interface Signer {
        byte[] sign(byte[] signingInput);
    }

    Verifier verifier(JWK publicKey) {
        try {
            return switch (this) {
                case EdDSA -> {
                    Ed25519PublicKeyParameters key =
                            new Ed25519PublicKeyParameters(((OctetKeyPair) publicKey).getDecodedX());
                    yield (input, signature) -> {
                        if (signature.length != Ed25519PublicKeyParameters.KEY_SIZE * 2) {
                            return false;
                        }
                        Ed25519Signer verifier = new Ed25519Signer();
                        verifier.init(false, key);
                        verifier.update(input, 0, input.length);
                        return verifier.verifySignature(signature);
                    };
                }
                case ES256 -> {
                    ECDSAVerifier verifier = new ECDSAVerifier(((ECKey) publicKey).toPublicJWK());
                    verifier.getJCAContext().setProvider(Crypto.provider());
                    yield (input, signature) -> {
                        try {
                            return signature.length == 64
                                    && verifier.verify(ES256_HEADER, input, Base64URL.encode(signature));
                        } catch (JOSEException e) {
                            return false;
                        }
                    };
                }
            };
        } catch (JOSEException | IllegalArgumentException e) {
            throw new IllegalArgumentException(
                    "key '" + publicKey.getKeyID() + "' is not a usable " + this + " public key", e);
        }
    }

    Signer signer(JWK privateKey) {
        try {
            return switch (this) {
                case EdDSA -> {
                    OctetKeyPair okp = (OctetKeyPair) privateKey;
                    Ed25519PrivateKeyParameters key = new Ed25519PrivateKeyParameters(okp.getDecodedD());
                    if (!java.util.Arrays.equals(key.generatePublicKey().getEncoded(), okp.getDecodedX())) {
                        throw new IllegalArgumentException(
                                "key '" + okp.getKeyID() + "': its x is not the public key of its d");
                    }
                    yield input -> {
                        Ed25519Signer signer = new Ed25519Signer();
                        signer.init(true, key);
                        signer.update(input, 0, input.length);
                        return signer.generateSignature();
                    };
                }
                case ES256 -> {
                    ECDSASigner signer = new ECDSASigner((ECKey) privateKey);
                    signer.getJCAContext().setProvider(Crypto.provider());
                    yield input -> {
                        try {
                            return signer.sign(ES256_HEADER, input).decode();
                        } catch (JOSEException e) {
                            throw new IllegalStateException(
                                    "ES256 signing failed with key '" + privateKey.getKeyID() + "'", e);
                        }
                    };
                }
            };
        } catch (JOSEException e) {
            throw new IllegalArgumentException(
                    "key '" + privateKey.getKeyID() + "' is not a usable " + this + " private key", e);
        }
    }
}
