// The ssh client options a caller may pass with --ssh-option: a declared
// allow-list, each key with the values it accepts. Everything else is refused
// before any ssh process or control directory exists, because many ssh_config
// keys run programs (ProxyCommand, LocalCommand, KnownHostsCommand, Match exec),
// load code (PKCS11Provider, SecurityKeyProvider), read other config (Include,
// ProxyJump runs ssh with its own config), forward things (LocalForward,
// RemoteForward, DynamicForward, ForwardAgent, ForwardX11, Tunnel), send the
// environment (SetEnv, SendEnv), run a remote command (RemoteCommand), or are
// otshell's own (ControlPath, ControlMaster, ControlPersist, BatchMode,
// RequestTTY, User, Hostname, IdentityFile: --identity-file is the one way to
// give a key). The allowed keys tune the connection and its checks only.
// No heavy imports: the simulator path validates too, without loading execa.
import { EXIT, OtshellError } from '../errors.js';

type ValueCheck = (value: string) => boolean;

const integer = (min: number, max: number): ValueCheck => (v) => /^\d{1,6}$/.test(v) && Number(v) >= min && Number(v) <= max;
const oneOf = (...words: string[]): ValueCheck => (v) => words.includes(v.toLowerCase());
const yesNo = oneOf('yes', 'no');
/** An algorithm list as ssh takes it: names, commas, an optional +, - or ^ in front, * patterns. */
const algorithms: ValueCheck = (v) => /^[+\-^]?[A-Za-z0-9@._*-]+(,[A-Za-z0-9@._*-]+)*$/.test(v);
/** One file name: no blanks (ssh would read a second file), no quotes or backslashes (ssh's own quoting). */
const fileName: ValueCheck = (v) => /^[^\s"'\\]+$/.test(v) && v.length <= 1024;

/** Canonical key -> its value check. Keys match case-insensitively, as ssh's do. */
const ALLOWED: Record<string, ValueCheck> = {
  Port: integer(1, 65535),
  ConnectTimeout: integer(1, 3600),
  ConnectionAttempts: integer(1, 10),
  ServerAliveInterval: integer(0, 3600),
  ServerAliveCountMax: integer(0, 100),
  TCPKeepAlive: yesNo,
  Compression: yesNo,
  AddressFamily: oneOf('any', 'inet', 'inet6'),
  Ciphers: algorithms,
  MACs: algorithms,
  KexAlgorithms: algorithms,
  HostKeyAlgorithms: algorithms,
  PubkeyAcceptedAlgorithms: algorithms,
  CASignatureAlgorithms: algorithms,
  IdentitiesOnly: yesNo,
  LogLevel: oneOf('quiet', 'fatal', 'error', 'info', 'verbose', 'debug', 'debug1', 'debug2', 'debug3'),
  StrictHostKeyChecking: oneOf('yes', 'accept-new', 'no', 'off'),
  CheckHostIP: yesNo,
  UserKnownHostsFile: fileName,
  HostKeyAlias: (v) => /^[A-Za-z0-9._:-]{1,255}$/.test(v),
};

export const ALLOWED_SSH_OPTION_KEYS: readonly string[] = Object.keys(ALLOWED);
const CANONICAL = new Map(ALLOWED_SSH_OPTION_KEYS.map((key) => [key.toLowerCase(), key]));

export class SshOptionError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.USAGE);
  }
}

const allowedList = (): string => `Allowed keys: ${ALLOWED_SSH_OPTION_KEYS.join(', ')}.`;

/**
 * Checks every --ssh-option and returns them as ssh's `-o` words (`Key=Value`,
 * the key in its canonical spelling). Throws SshOptionError (exit 64) with one
 * line naming the allowed keys. The caller's text is echoed only when it is a
 * plain key name, so nothing untrusted reaches the terminal from here.
 */
export function validateSshOptions(options: readonly string[]): string[] {
  return options.map((option, i) => {
    const which = options.length > 1 ? `--ssh-option #${i + 1}` : '--ssh-option';
    const match = /^([A-Za-z][A-Za-z0-9]*)=(.*)$/s.exec(option);
    if (!match) {
      throw new SshOptionError(`${which} takes Key=Value with one allowed key and no blanks around "=". ${allowedList()}`);
    }
    const [, key, value] = match as unknown as [string, string, string];
    const canonical = CANONICAL.get(key.toLowerCase());
    if (!canonical) throw new SshOptionError(`${which}: ${key} is not allowed (it may run, forward or load something, or otshell sets it itself). ${allowedList()}`);
    // Control characters, DEL, C1 and newlines: ssh reads an -o as a config line.
    if (/[\u0000-\u001f\u007f-\u009f]/.test(value) || value === '' || !ALLOWED[canonical]!(value)) {
      throw new SshOptionError(`${which}: the value of ${canonical} is not valid for that key. ${allowedList()}`);
    }
    return `${canonical}=${value}`;
  });
}
