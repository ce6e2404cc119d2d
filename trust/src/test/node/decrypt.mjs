// Test only: decrypts tokencast records with node's jose, an implementation the project did not write.
// Input: a JSON file {keys: <JWK set>, cases: [{name, record}]}, record being the exact JSON text.
// Output: one JSON line per case with what jose found; the Java test judges it.
import { compactDecrypt, decodeProtectedHeader, base64url } from 'jose';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';

const input = JSON.parse(readFileSync(process.argv[2], 'utf8'));
const keys = new Map(input.keys.keys.map((jwk) => [jwk.kid, base64url.decode(jwk.k)]));

const fingerprint = (text) => 'sha256:' + createHash('sha256').update(text, 'utf8').digest('hex').slice(0, 16);

for (const { name, record } of input.cases) {
  const event = JSON.parse(record);
  const credential = event.type === 'CredentialStored';
  const jwe = credential ? event.encryptedValue : event.encryptedToken;
  const out = { name };
  try {
    const header = decodeProtectedHeader(jwe);
    const { plaintext, protectedHeader } = await compactDecrypt(jwe, keys.get(header.kid), {
      keyManagementAlgorithms: ['dir'],
      contentEncryptionAlgorithms: ['A256GCM'],
    });
    out.plaintext = new TextDecoder().decode(plaintext);
    out.kid = protectedHeader.kid;
    out.header = Object.keys(protectedHeader).sort();
    out.identityMatches = credential
      ? protectedHeader.credentialKey === event.credentialKey &&
        protectedHeader.version === event.version &&
        protectedHeader.receivedAt === event.receivedAt
      : protectedHeader.tokenKey === event.tokenKey &&
        protectedHeader.version === event.version &&
        protectedHeader.expiresAt === event.expiresAt;
    out.fingerprintMatches = fingerprint(out.plaintext) === event.fingerprint;
  } catch (e) {
    out.error = e.code || e.name;
  }
  console.log(JSON.stringify(out));
}
