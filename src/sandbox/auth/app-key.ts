/** The App's RSA key pair: generated once (PKCS#1 PEM at `dir/app.pem`, like the key GitHub issues), reused on restart. */
import { createPrivateKey, createPublicKey, generateKeyPairSync, type KeyObject } from 'node:crypto';
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

export interface AppKey {
  privateKeyPem: string;
  privateKeyPath: string;
  publicKey: KeyObject;
}

export function loadOrCreateAppKey(dir: string): AppKey {
  const privateKeyPath = join(dir, 'app.pem');
  let privateKeyPem: string;
  if (existsSync(privateKeyPath)) {
    privateKeyPem = readFileSync(privateKeyPath, 'utf8');
  } else {
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 });
    privateKeyPem = privateKey.export({ type: 'pkcs1', format: 'pem' }).toString();
    writeFileSync(privateKeyPath, privateKeyPem, { mode: 0o600 });
  }
  const publicKey = createPublicKey(createPrivateKey(privateKeyPem));
  return { privateKeyPem, privateKeyPath, publicKey };
}
