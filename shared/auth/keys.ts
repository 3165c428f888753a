import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import path from 'node:path';
import { readOrCreateOnce } from '../files/read-or-create.js';

export type SigningAlgorithm = 'ES256' | 'RS256';

export interface SigningKey {
  kid: string;
  alg: SigningAlgorithm;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

/** Builds the signing key from a PEM (Key Vault in Azure); ES256 for P-256 keys, RS256 for RSA. */
export function signingKeyFromPem(pem: string, kid: string): SigningKey {
  const privateKey = createPrivateKey(pem.includes('\\n') ? pem.replace(/\\n/g, '\n') : pem);
  const publicKey = createPublicKey(privateKey);
  const type = privateKey.asymmetricKeyType;
  if (type === 'ec') {
    const curve = privateKey.asymmetricKeyDetails?.namedCurve;
    if (curve !== 'prime256v1') throw new Error(`JWT_PRIVATE_KEY: an EC key must use P-256, got ${curve}`);
    return { kid, alg: 'ES256', privateKey, publicKey };
  }
  if (type === 'rsa') {
    const bits = privateKey.asymmetricKeyDetails?.modulusLength ?? 0;
    if (bits < 2048) throw new Error('JWT_PRIVATE_KEY: an RSA key must have at least 2048 bits');
    return { kid, alg: 'RS256', privateKey, publicKey };
  }
  throw new Error(`JWT_PRIVATE_KEY: unsupported key type ${type}; use P-256 (ES256) or RSA (RS256)`);
}

/**
 * The local key: generated once (ES256) and kept in DATA_DIR/keys, so tokens survive restarts and a
 * fresh DATA_DIR is a fresh shop. Its kid is a thumbprint of the public key.
 */
export function localSigningKey(dataDir: string): SigningKey {
  const pem = readOrCreateOnce(path.join(dataDir, 'keys', 'jwt-signing-key.pem'), () =>
    generateKeyPairSync('ec', { namedCurve: 'P-256' })
      .privateKey.export({ type: 'pkcs8', format: 'pem' })
      .toString(),
  );
  const publicDer = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(publicDer).digest('base64url').slice(0, 16);
  return signingKeyFromPem(pem, kid);
}
