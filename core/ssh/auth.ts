import type { AnyAuthMethod, AuthenticationType } from 'ssh2';
import type { SshKey } from './keys.ts';

/** One SSH hop's identity and credentials (secrets stay in memory, never logged). */
export interface SshLeg {
  host: string;
  port: number;
  username: string;
  /** Offered as `password` and as the answer to every `keyboard-interactive` prompt; null = neither. */
  password: string | null;
  /** Private keys to offer, in order (see `parsePrivateKey`, `keyFromFiles`, `discoverKeys`). */
  keys: SshKey[];
  /** ssh-agent socket path, or null. */
  agent: string | null;
}

/** The methods a leg offers, in order: keys, agent, password, keyboard-interactive (`none` if nothing). */
export function authMethods(leg: SshLeg): AnyAuthMethod[] {
  const username = leg.username;
  const methods: AnyAuthMethod[] = [];
  for (const k of leg.keys) methods.push({ type: 'publickey', username, key: k.key });
  if (leg.agent) methods.push({ type: 'agent', username, agent: leg.agent });
  if (leg.password !== null) {
    const password = leg.password;
    methods.push({ type: 'password', username, password });
    methods.push({
      type: 'keyboard-interactive',
      username,
      prompt: (_n, _i, _l, prompts, finish) => finish(prompts.map(() => password)),
    });
  }
  if (methods.length === 0) methods.push({ type: 'none', username });
  return methods;
}

/** An ssh2 `authHandler` that offers `methods` in order, skipping those the server no longer accepts. */
export function authHandler(methods: AnyAuthMethod[]): (left: AuthenticationType[] | null) => AnyAuthMethod | false {
  let i = 0;
  return (left) => {
    while (i < methods.length) {
      const m = methods[i++]!;
      const type = m.type === 'agent' ? 'publickey' : m.type;
      if (!left || type === 'none' || left.includes(type as AuthenticationType)) return m;
    }
    return false;
  };
}
