/**
 * Docker settings of a task definition as dockerd applies them: the options of a Docker volume's driver,
 * and a container's security options (DockerSecurityOptions). Parts only known at deploy time read
 * `${...}` and may be anything, so they are judged as possibly weakening.
 */
import { Json, TemplatePlace, isIntrinsic, isObject, resolveList, resolveText } from './template-values';

// File systems the local driver mounts without touching the host's own: memory, and shares of another machine.
const LOCAL_DRIVER_SAFE_TYPES = ['tmpfs', 'nfs', 'nfs4', 'cifs'];

/**
 * Why a Docker volume may mount the host's filesystem, as a path suffix with the reason; undefined when
 * it cannot. Docker's `local` driver (also when Driver is unset) runs `mount -t <type> -o <o> <device>`
 * as root on the host: a bind, or a device or an overlay of the host's, is the host's filesystem. Other
 * (third-party) drivers mount what they manage. A driver or option only known at deploy time may be any.
 */
export function localDriverHostMount(reading: TemplatePlace, config: Json): string | undefined {
  const driver = config.Driver === undefined ? 'local' : resolveText(reading.app, reading.scope, config.Driver);
  if (driver !== 'local' && !driver.includes('${')) return undefined;
  const opts = config.DriverOpts;
  if (opts === undefined) return undefined;
  // An intrinsic function in place of the map (`{ Ref }`, `{ Fn::... }`) gives options only known at deploy time.
  if (!isObject(opts) || isIntrinsic(opts)) {
    return `.DriverOpts (${JSON.stringify(opts)}, only known at deploy time: it may mount a host path)`;
  }
  const option = (key: string) => (opts[key] === undefined ? undefined : resolveText(reading.app, reading.scope, opts[key]));
  const unknown = Object.keys(opts).find((key) => option(key)?.includes('${'));
  if (unknown !== undefined) return `.DriverOpts.${unknown} (${JSON.stringify(opts[unknown])}, only known at deploy time: it may mount a host path)`;
  if (/\br?bind\b/.test(option('o') ?? '')) return '.DriverOpts.o (a bind mount of a host path)';
  const type = option('type');
  if (option('device') !== undefined && !LOCAL_DRIVER_SAFE_TYPES.includes(type ?? '')) {
    return `.DriverOpts.device (type ${JSON.stringify(type ?? null)}: the local driver mounts a device or path of the host)`;
  }
  return undefined;
}

/** A docker security option as deployed (unknown parts read `${...}`), and where it is written. */
export interface SecurityOption {
  readonly text: string;
  readonly at: string;
}

/**
 * The options as deployed. A list only known at deploy time (a parameter, a mapping) reads as one
 * option that is wholly unknown: it may weaken anything an option can.
 */
export function readSecurityOptions(reading: TemplatePlace, written: unknown, path: string): SecurityOption[] {
  if (written === undefined) return [];
  const options = resolveList(reading.app, reading.scope, written);
  if (options === undefined) {
    return [{ text: resolveText(reading.app, reading.scope, written), at: `${path}.DockerSecurityOptions (${JSON.stringify(written)}, only known at deploy time)` }];
  }
  return options.map((text, i) => ({ text, at: `${path}.DockerSecurityOptions[${i}]` }));
}

// An option whose key is only known at deploy time (`${P}`, `no-new-privileges${P}`) may be any option.
export function unknownKey(option: string): boolean {
  const unknownFrom = option.indexOf('${');
  return unknownFrom >= 0 && !/[=:]/.test(option.slice(0, unknownFrom));
}

// Docker reads the options in order: a later no-new-privileges:false (or =false) switches it off again,
// and so may a later option only known at deploy time.
export function noNewPrivileges(options: readonly SecurityOption[]): boolean {
  const settings = options.filter(({ text }) => /^no-new-privileges([=:].*)?$/.test(text) || unknownKey(text));
  const last = settings[settings.length - 1];
  return last !== undefined && /^no-new-privileges([=:]true)?$/.test(last.text);
}

/** The seccomp profile an option sets: Unconfined, Localhost (a profile file), or why it is neither. */
export function seccompProfile(option: string): string {
  if (unknownKey(option)) return `only known at deploy time (${option})`;
  const profile = option.replace(/^seccomp[=:]/i, '');
  if (/^unconfined$/i.test(profile)) return 'Unconfined';
  if (profile.includes('${')) return `only known at deploy time (${option})`;
  // dockerd takes JSON as the profile itself: whatever it allows, an inline profile is not RuntimeDefault.
  return profile.trimStart().startsWith('{') ? 'an inline JSON profile, which is not RuntimeDefault' : 'Localhost';
}
