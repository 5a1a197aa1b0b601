import https from 'node:https';
import tls from 'node:tls';
import type { Duplex } from 'node:stream';
import type { Logger } from '../contracts/common.ts';
import type { HostKeyPolicy } from '../ssh/known-hosts.ts';
import { verifyTlsPin } from '../state/tls-pins.ts';

type Callback = (err: Error | null, stream: Duplex) => void;

/**
 * An https.Agent that trusts a device's certificate on first use instead of checking it against
 * CAs: each new TLS connection completes its handshake, the peer certificate is checked against
 * the pinned one (core/state/tls-pins.ts), and only then is the socket handed to the HTTP request —
 * so not a byte of the request (credentials included) reaches an unpinned or changed peer.
 * Node's Agent accepts an asynchronous `createConnection(options, callback)`.
 */
export class TofuHttpsAgent extends https.Agent {
  constructor(
    opts: https.AgentOptions,
    private readonly pin: { host: string; port: number; policy: HostKeyPolicy; log: Logger },
  ) {
    super({ ...opts, rejectUnauthorized: false });
  }

  override createConnection(options: https.RequestOptions, callback?: Callback): Duplex | undefined {
    const socket = tls.connect({ ...(options as tls.ConnectionOptions), rejectUnauthorized: false });
    let done = false;
    const finish = (err: Error | null) => {
      if (done) return;
      done = true;
      socket.off('error', onError);
      if (err) {
        socket.destroy();
        callback?.(err, undefined as unknown as Duplex);
      } else callback?.(null, socket);
    };
    const onError = (e: Error) => finish(e);
    socket.once('error', onError);
    socket.once('secureConnect', () => {
      const cert = socket.getPeerCertificate();
      if (!cert?.raw)
        return finish(Object.assign(new Error('device presented no TLS certificate'), { code: 'CERT_MISSING' }));
      verifyTlsPin(this.pin.host, this.pin.port, cert.raw, this.pin.policy, this.pin.log).then(finish, finish);
    });
    return undefined;
  }
}
