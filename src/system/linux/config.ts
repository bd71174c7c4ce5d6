// otshell's own config on a real sensor (YAML, default /etc/otshell/otshell.yaml):
// the interface roles, where the netplan file, the services list and otshell's
// state live. Read through the runner, so over ssh it is the sensor's file.
// zod/mini: the full zod build is ~400 kB that every `--target local` start would parse.
import * as z from 'zod/mini';
import en from 'zod/v4/locales/en.js';
import YAML from 'yaml';
import { checkInterfaceName, checkPath, InvalidValueError } from './checks.js';
import { EXIT, OtshellError } from '../../errors.js';
import type { Runner } from './runner.js';

export const DEFAULT_CONFIG_PATH = '/etc/otshell/otshell.yaml';
export const DEFAULT_NETPLAN_FILE = '/etc/netplan/50-otshell.yaml';
export const DEFAULT_SERVICES_FILE = '/etc/otshell/services.yaml';
export const DEFAULT_STATE_DIR = '/var/lib/otshell';
/** The sensor software's version file (one line, e.g. "22.2.5.9-r-2121448"); `system version` reads it. */
export const DEFAULT_NTP_SOURCES_FILE = '/etc/chrony/sources.d/otshell.sources';
export const DEFAULT_BACKUP_FOLDER = '/var/cyberx/backups';
export const DEFAULT_SENSOR_VERSION_FILE = '/etc/otshell/sensor-version';
/** The site information `network requirements` checks (the guide's "Collect site information"). */
export const DEFAULT_SITE_FILE = '/etc/otshell/site.yaml';
/** As `netplan try` uses. */
export const DEFAULT_CONFIRM_TIMEOUT_SECONDS = 120;

// English messages for config errors ("expected string, received number").
z.config(en());

/** A string the given check accepts (the checks throw on bad values). */
function checked(check: (value: string) => unknown, message: string) {
  return z.string().check(
    z.refine((value) => {
      try {
        check(value);
        return true;
      } catch {
        return false;
      }
    }, message),
  );
}
const ifname = checked(checkInterfaceName, 'not a valid interface name');
const absPath = checked(checkPath, 'must be an absolute path');

const ConfigSchema = z.strictObject({
  roles: z.optional(
    z.strictObject({
      management: z.optional(ifname),
      monitor: z.optional(z.array(ifname)),
      bridge: z.optional(z.nullable(ifname)),
    }),
  ),
  netplan: z.optional(z.strictObject({ file: z.optional(absPath) })),
  services: z.optional(z.strictObject({ file: z.optional(absPath), profile: z.optional(z.string().check(z.maxLength(40))) })),
  stateDir: z.optional(absPath),
  sensor: z.optional(z.strictObject({ versionFile: z.optional(absPath) })),
  site: z.optional(z.strictObject({ file: z.optional(absPath) })),
  confirmTimeoutSeconds: z.optional(z.int().check(z.minimum(5), z.maximum(3600))),
  ntp: z.optional(z.strictObject({ sourcesFile: z.optional(absPath), chronycSocket: z.optional(absPath) })),
  backup: z.optional(z.strictObject({ folder: z.optional(absPath), keep: z.optional(z.int().check(z.minimum(1), z.maximum(1000))) })),
});

export interface OtshellConfig {
  path: string;
  /** Whether the file exists (a fresh sensor may have none yet). */
  exists: boolean;
  roles: { management: string | null; monitor: string[]; bridge: string | null };
  netplanFile: string;
  servicesFile: string;
  profile: string | null;
  stateDir: string;
  /** The file sets stateDir itself (then --state-dir may not name another). */
  stateDirInFile: boolean;
  /** The sensor's version file (`sensor.versionFile`). */
  sensorVersionFile: string;
  siteFile: string;
  confirmTimeoutSeconds: number;
  /** The file's text as read, to restore it exactly on rollback. */
  text: string | null;
  /** chrony: otshell's sources file, and chronyc's socket (null: chronyc's default). */
  ntp: { sourcesFile: string; chronycSocket: string | null };
  /** Backups: the folder, how many are kept, the sensor's version file. */
  backup: { folder: string; keep: number };
}

/** otshell's config file on the target is unusable. Exit 78, EX_CONFIG. */
export class ConfigError extends OtshellError {
  constructor(message: string) {
    super(message, EXIT.CONFIG);
  }
}

export async function loadConfig(runner: Runner, path: string = DEFAULT_CONFIG_PATH): Promise<OtshellConfig> {
  checkPath(path, 'config file');
  return parseConfig(path, await runner.readFile(path));
}

/** The config from the file's text (null: no file, all defaults). */
export function parseConfig(path: string, text: string | null): OtshellConfig {
  let raw: unknown = {};
  if (text !== null) {
    try {
      raw = YAML.parse(text) ?? {};
    } catch (error) {
      throw new ConfigError(`The otshell config ${path} is not valid YAML: ${(error as Error).message.split('\n')[0]}`);
    }
  }
  const parsed = ConfigSchema.safeParse(raw);
  if (!parsed.success) {
    const issue = parsed.error.issues[0]!;
    throw new ConfigError(`The otshell config ${path} is invalid at "${issue.path.join('.') || '(top)'}": ${issue.message}.`);
  }
  const c = parsed.data;
  return {
    path,
    exists: text !== null,
    text,
    roles: { management: c.roles?.management ?? null, monitor: c.roles?.monitor ?? [], bridge: c.roles?.bridge ?? null },
    netplanFile: c.netplan?.file ?? DEFAULT_NETPLAN_FILE,
    servicesFile: c.services?.file ?? DEFAULT_SERVICES_FILE,
    profile: c.services?.profile ?? null,
    stateDir: c.stateDir ?? DEFAULT_STATE_DIR,
    stateDirInFile: c.stateDir !== undefined,
    sensorVersionFile: c.sensor?.versionFile ?? DEFAULT_SENSOR_VERSION_FILE,
    siteFile: c.site?.file ?? DEFAULT_SITE_FILE,
    confirmTimeoutSeconds: c.confirmTimeoutSeconds ?? DEFAULT_CONFIRM_TIMEOUT_SECONDS,
    ntp: { sourcesFile: c.ntp?.sourcesFile ?? DEFAULT_NTP_SOURCES_FILE, chronycSocket: c.ntp?.chronycSocket ?? null },
    backup: { folder: c.backup?.folder ?? DEFAULT_BACKUP_FOLDER, keep: c.backup?.keep ?? 10 },
  };
}

/** The config text with new roles, keeping everything else in the file (comments too). */
export function configWithRoles(config: OtshellConfig, roles: OtshellConfig['roles']): string {
  const doc = config.text !== null ? YAML.parseDocument(config.text) : new YAML.Document({});
  if (doc.errors.length > 0) throw new InvalidValueError(`The otshell config ${config.path} cannot be parsed.`);
  if (!doc.contents || !YAML.isMap(doc.contents)) doc.contents = doc.createNode({}) as never;
  doc.setIn(['roles', 'management'], roles.management);
  doc.setIn(['roles', 'monitor'], doc.createNode(roles.monitor, { flow: true }));
  doc.setIn(['roles', 'bridge'], roles.bridge);
  const header = config.text === null ? '# otshell configuration (interface roles, file locations). See the README.\n' : '';
  return header + doc.toString();
}
