import ssh2 from 'ssh2';

/**
 * An ed25519 key pair that ssh2 can read back. ssh2 1.17's `generateKeyPairSync('ed25519')` strips
 * leading zero bytes of the public key, so about 1 pair in 256 fails its own `parseKey` ("Malformed
 * OpenSSH private key") — a simulator or test then dies at random. Retry, bounded.
 */
export function ed25519KeyPair(): { private: string; public: string } {
  for (let attempt = 0; attempt < 32; attempt++) {
    const pair = ssh2.utils.generateKeyPairSync('ed25519');
    if (!(ssh2.utils.parseKey(pair.private) instanceof Error) && !(ssh2.utils.parseKey(pair.public) instanceof Error)) {
      return pair;
    }
  }
  throw new Error('ssh2 produced 32 unreadable ed25519 key pairs in a row');
}
