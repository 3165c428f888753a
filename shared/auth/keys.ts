import {
  createHash,
  createPrivateKey,
  createPublicKey,
  generateKeyPairSync,
  type KeyObject,
} from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

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
  const file = path.join(dataDir, 'keys', 'jwt-signing-key.pem');
  if (!fs.existsSync(file)) {
    const { privateKey } = generateKeyPairSync('ec', { namedCurve: 'P-256' });
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const pem = privateKey.export({ type: 'pkcs8', format: 'pem' }).toString();
    const temp = `${file}.${process.pid}.tmp`;
    fs.writeFileSync(temp, pem, { mode: 0o600 });
    // link() publishes the whole file at once and fails if another process got there first, so
    // every process ends up with the same key (whichever landed first).
    try {
      fs.linkSync(temp, file);
    } catch (error) {
      // A file system without hard links: fall back to a rename when no key is there yet.
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST' && !fs.existsSync(file))
        fs.renameSync(temp, file);
    } finally {
      fs.rmSync(temp, { force: true });
    }
  }
  const pem = fs.readFileSync(file, 'utf8');
  const publicDer = createPublicKey(pem).export({ type: 'spki', format: 'der' });
  const kid = createHash('sha256').update(publicDer).digest('base64url').slice(0, 16);
  return signingKeyFromPem(pem, kid);
}
