import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * `npm ci` installs only what package-lock.json lists. npm writes into the lock the platform
 * packages (prebuilt binaries) of the machine that ran `npm install`; a lock written on linux-x64
 * alone makes `npm ci` fail, or install a tree without its native binary, on a Kunpeng/Phytium
 * server (linux-arm64, glibc) or a Mac. These tests keep the lock complete for those platforms.
 */

interface LockEntry {
  version?: string;
  integrity?: string;
  os?: string[];
  cpu?: string[];
  libc?: string[];
  optional?: boolean;
  dependencies?: Record<string, string>;
  devDependencies?: Record<string, string>;
  optionalDependencies?: Record<string, string>;
}

interface Platform {
  name: string;
  os: string;
  cpu: string;
  libc?: string;
}

/** The platforms whistlebot is installed on: government servers (x64 and arm64) and developers' Macs. */
export const PLATFORMS: Platform[] = [
  { name: 'linux-x64-gnu', os: 'linux', cpu: 'x64', libc: 'glibc' },
  { name: 'linux-arm64-gnu', os: 'linux', cpu: 'arm64', libc: 'glibc' },
  { name: 'darwin-arm64', os: 'darwin', cpu: 'arm64' },
  { name: 'darwin-x64', os: 'darwin', cpu: 'x64' },
];

/** npm's own rule: a list allows a value when it names it, or when it names only exclusions (`!x`) and not this one. */
function allows(list: string[] | undefined, value: string | undefined): boolean {
  if (list === undefined || value === undefined) return true;
  if (list.includes(`!${value}`)) return false;
  if (list.includes(value)) return true;
  return list.every((item) => item.startsWith('!'));
}

export function fitsPlatform(entry: LockEntry, platform: Platform): boolean {
  return allows(entry.os, platform.os) && allows(entry.cpu, platform.cpu) && allows(entry.libc, platform.libc);
}

/** Where npm would find `name` when required from the package at `location` (node_modules lookup upwards). */
function resolveIn(packages: Record<string, LockEntry>, location: string, name: string): { key: string; entry: LockEntry } | undefined {
  let base = location;
  for (;;) {
    const key = base === '' ? `node_modules/${name}` : `${base}/node_modules/${name}`;
    const entry = packages[key];
    if (entry) return { key, entry };
    if (base === '') return undefined;
    const cut = base.lastIndexOf('/node_modules/');
    base = cut < 0 ? '' : base.slice(0, cut);
  }
}

/**
 * Every problem the lock has for the platforms: a package with platform-specific optional
 * packages (its prebuilt binaries) must list each of them with a version and an integrity hash,
 * and at least one of them must fit each platform.
 */
export function lockProblems(lock: { packages: Record<string, LockEntry> }, platforms: Platform[]): string[] {
  const problems: string[] = [];
  for (const [location, entry] of Object.entries(lock.packages)) {
    const optional = Object.keys(entry.optionalDependencies ?? {});
    if (optional.length === 0) continue;
    const found = optional.map((name) => ({ name, hit: resolveIn(lock.packages, location, name) }));
    const label = location.replace(/^.*node_modules\//, '');
    for (const { name, hit } of found) {
      if (!hit) problems.push(`${label}: optional package ${name} is not in the lock`);
      else if (!hit.entry.version || !hit.entry.integrity) problems.push(`${label}: ${hit.key} has no version or integrity`);
    }
    // A set of alternative binaries (one per platform) names several platform packages; one platform
    // package alone (tsx's fsevents, sharp-linux-x64's own libvips) is a companion of a single platform.
    const platformNamed = optional.filter((name) => /(darwin|linux|win32|android|freebsd)-/.test(name));
    const platformSpecific = found.filter(({ hit }) => hit && (hit.entry.os || hit.entry.cpu || hit.entry.libc));
    if (Math.max(platformNamed.length, platformSpecific.length) < 2) continue;
    for (const platform of platforms) {
      const fits = found.some(({ hit }) => hit && (hit.entry.os || hit.entry.cpu || hit.entry.libc) && fitsPlatform(hit.entry, platform));
      if (!fits) problems.push(`${label}: no prebuilt package for ${platform.name} in the lock`);
    }
  }
  return problems;
}

const root = join(__dirname, '../..');
const lock = JSON.parse(readFileSync(join(root, 'package-lock.json'), 'utf8')) as { lockfileVersion: number; packages: Record<string, LockEntry> };
const manifest = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { dependencies: Record<string, string>; devDependencies: Record<string, string> };

describe('package-lock.json is complete for npm ci on every platform we run on', () => {
  it('is a lockfile v3 whose root entry matches package.json (else npm ci refuses it)', () => {
    expect(lock.lockfileVersion).toBe(3);
    const rootEntry = lock.packages[''];
    expect(rootEntry?.dependencies).toEqual(manifest.dependencies);
    expect(rootEntry?.devDependencies).toEqual(manifest.devDependencies);
  });

  it('lists, for every package with prebuilt binaries, a binary for linux-x64, linux-arm64 (glibc), darwin-arm64 and darwin-x64', () => {
    expect(lockProblems(lock, PLATFORMS)).toEqual([]);
  });

  it.each([
    ['@node-rs/jieba', '@node-rs/jieba-linux-arm64-gnu', '@node-rs/jieba-darwin-arm64', '@node-rs/jieba-darwin-x64'],
    ['sharp', '@img/sharp-linux-arm64', '@img/sharp-darwin-arm64', '@img/sharp-darwin-x64'],
    ['sharp', '@img/sharp-libvips-linux-arm64', '@img/sharp-libvips-darwin-arm64', '@img/sharp-libvips-darwin-x64'],
    ['esbuild', '@esbuild/linux-arm64', '@esbuild/darwin-arm64', '@esbuild/darwin-x64'],
    ['@swc/core', '@swc/core-linux-arm64-gnu', '@swc/core-darwin-arm64', '@swc/core-darwin-x64'],
  ])('%s: %s, %s and %s are locked', (parent, ...binaries) => {
    expect(lock.packages[`node_modules/${parent}`]).toBeDefined();
    for (const name of binaries) {
      const entry = lock.packages[`node_modules/${name}`];
      expect({ name, version: entry?.version, integrity: entry?.integrity?.startsWith('sha512-') }).toEqual({ name, version: expect.any(String), integrity: true });
    }
  });

  describe('the check itself', () => {
    it('reports a lock written on linux-x64 alone (what npm < 11 left): the arm64 and macOS binaries missing', () => {
      const packages: Record<string, LockEntry> = {
        'node_modules/@node-rs/jieba': {
          version: '2.0.3',
          optionalDependencies: { '@node-rs/jieba-linux-x64-gnu': '2.0.3', '@node-rs/jieba-linux-arm64-gnu': '2.0.3', '@node-rs/jieba-darwin-arm64': '2.0.3' },
        },
        'node_modules/@node-rs/jieba-linux-x64-gnu': { version: '2.0.3', integrity: 'sha512-x', os: ['linux'], cpu: ['x64'], libc: ['glibc'], optional: true },
      };
      expect(lockProblems({ packages }, PLATFORMS)).toEqual([
        '@node-rs/jieba: optional package @node-rs/jieba-linux-arm64-gnu is not in the lock',
        '@node-rs/jieba: optional package @node-rs/jieba-darwin-arm64 is not in the lock',
        '@node-rs/jieba: no prebuilt package for linux-arm64-gnu in the lock',
        '@node-rs/jieba: no prebuilt package for darwin-arm64 in the lock',
        '@node-rs/jieba: no prebuilt package for darwin-x64 in the lock',
      ]);
    });

    it('reports a musl-only arm64 binary as not fitting linux-arm64 with glibc, and an entry without integrity', () => {
      const packages: Record<string, LockEntry> = {
        'node_modules/x': { optionalDependencies: { 'x-linux-arm64-musl': '1.0.0', 'x-linux-x64-gnu': '1.0.0', 'x-darwin-universal': '1.0.0' } },
        'node_modules/x-linux-arm64-musl': { version: '1.0.0', integrity: 'sha512-a', os: ['linux'], cpu: ['arm64'], libc: ['musl'] },
        'node_modules/x-linux-x64-gnu': { version: '1.0.0', os: ['linux'], cpu: ['x64'], libc: ['glibc'] },
        'node_modules/x-darwin-universal': { version: '1.0.0', integrity: 'sha512-b', os: ['darwin'] },
      };
      expect(lockProblems({ packages }, PLATFORMS)).toEqual([
        'x: node_modules/x-linux-x64-gnu has no version or integrity',
        'x: no prebuilt package for linux-arm64-gnu in the lock',
      ]);
    });

    it('finds a binary nested under its parent; a single-platform companion (fsevents) or a plain optional package is no binary set', () => {
      const packages: Record<string, LockEntry> = {
        'node_modules/a/node_modules/b': { optionalDependencies: { 'b-linux-x64': '1.0.0', 'b-linux-arm64': '1.0.0', 'b-darwin': '1.0.0' } },
        'node_modules/a/node_modules/b-linux-x64': { version: '1.0.0', integrity: 'sha512-a', os: ['linux'], cpu: ['x64'] },
        'node_modules/b-linux-arm64': { version: '1.0.0', integrity: 'sha512-a', os: ['linux'], cpu: ['arm64'] },
        'node_modules/b-darwin': { version: '1.0.0', integrity: 'sha512-a', os: ['darwin'], cpu: ['!ia32'] },
        'node_modules/jackspeak': { optionalDependencies: { '@pkgjs/parseargs': '^0.11.0' } },
        'node_modules/@pkgjs/parseargs': { version: '0.11.0', integrity: 'sha512-c' },
        'node_modules/tsx': { optionalDependencies: { fsevents: '~2.3.3' } },
        'node_modules/fsevents': { version: '2.3.3', integrity: 'sha512-d', os: ['darwin'] },
      };
      expect(lockProblems({ packages }, PLATFORMS)).toEqual([]);
    });
  });
});
