import type { DirectoryMapping } from '../../config/directory';
import type { DistrictSeed } from '../../config/district';
import type { Logger } from '../../infra/logger';
import type { OrgChangeNotice } from '../../infra/orgChanges';
import { buildOrganisation, type BuiltOrganisation } from '../../src/directory/buildOrganisation';
import { diffOrganisations, formatDiff, type OrganisationDiff } from '../../src/directory/diff';
import type { Directory, DirectoryDepartment, DirectoryMember } from '../../src/directory/types';
import type { DirectorySnapshot } from '../../store/directorySnapshotRepository';

/** Reads WeChat Work's directory (DirectoryClient, or a stand-in in tests). */
export interface DirectoryReader {
  readAll(onProgress?: (progress: SyncProgress) => void): Promise<Directory>;
  departments(): Promise<DirectoryDepartment[]>;
  /** undefined: WeChat Work no longer knows the member. */
  member(userId: string): Promise<DirectoryMember | undefined>;
}

export interface SyncProgress { phase: string; done: number; total?: number }

export interface SnapshotStore {
  latest(districtId: string): Promise<DirectorySnapshot | undefined>;
  replace(expectedVersion: number, next: Omit<DirectorySnapshot, 'version'>): Promise<number>;
}

/** A change_contact callback, ids only (callbacks set since 2022 carry nothing else). */
export type UserChange = { changeType: 'create_user' | 'update_user' | 'delete_user'; userId: string; newUserId?: string };
export type PartyChange = { changeType: 'create_party' | 'update_party' | 'delete_party'; partyId: number };
export type ContactChangeEvent = UserChange | PartyChange;

function isPartyChange(change: ContactChangeEvent): change is PartyChange {
  return change.changeType.endsWith('_party');
}

export interface DirectorySyncDeps {
  reader: DirectoryReader;
  snapshots: SnapshotStore;
  /**
   * Replaces the organisation every process reads (OrgRepository.loadSeed); given the seed applied
   * last, writes only what differs from it.
   */
  applyOrganisation(seed: DistrictSeed, previous?: DistrictSeed): Promise<unknown>;
  /** Tells every process the organisation changed (Redis pub/sub). */
  publish(notice: OrgChangeNotice): Promise<void>;
  /** Runs `work` holding the district's organisation lock (shared by all processes). */
  exclusive<T>(work: () => Promise<T>): Promise<T>;
  /** DISTRICT_CONFIG: the structure (streets, communities, grids, department chats) the people go into. */
  skeleton: DistrictSeed;
  mapping: DirectoryMapping;
  logger?: Logger;
  now?: () => Date;
}

export interface SyncReport {
  applied: boolean;
  dryRun: boolean;
  /** The snapshot version now current (unchanged on a dry run). */
  version: number;
  diff: OrganisationDiff;
  users: number;
  unmapped: string[];
  missing: string[];
}

/** The directory could not become the organisation: nothing was applied. `problems` says what to fix. */
export class DirectorySyncRefused extends Error {
  constructor(readonly problems: string[], hint: string) {
    super(`Directory sync refused, nothing applied: ${problems.join('; ')}. ${hint}`);
    this.name = 'DirectorySyncRefused';
  }
}

const FIX_HINT = 'Fix DIRECTORY_CONFIG or WeChat Work, then run `npm run directory:sync -- --dry-run` to check.';

/**
 * Keeps the organisation equal to WeChat Work's directory. Every change (a full sync, a
 * change_contact callback) builds the whole organisation in memory and validates it before
 * anything is written; then one snapshot write makes it current, the org collections follow, and
 * every process is told through Redis.
 */
export class DirectorySync {
  private readonly now: () => Date;

  constructor(private readonly deps: DirectorySyncDeps) {
    this.now = deps.now ?? (() => new Date());
  }

  get districtId(): string {
    return this.deps.skeleton.district.id;
  }

  /** Reads the whole directory; on a dry run only reports what would change. */
  async fullSync(options: { dryRun?: boolean; force?: boolean; onProgress?: (progress: SyncProgress) => void } = {}): Promise<SyncReport> {
    const started = Date.now();
    let directory: Directory;
    try {
      directory = await this.deps.reader.readAll(options.onProgress);
    } catch (error) {
      this.deps.logger?.error({ err: error, districtId: this.districtId }, 'directory sync failed while reading WeChat Work; nothing applied, the current organisation stays. Check the directory secret and WECOM_API_BASE, then run `npm run directory:sync`');
      throw error;
    }
    const run = async (): Promise<SyncReport> => {
      const current = await this.deps.snapshots.latest(this.districtId);
      const built = this.build(directory, current);
      const before = current?.seed ?? this.deps.skeleton;
      const diff = diffOrganisations(before, built.seed);
      if (!options.force) this.refuseMassRemoval(before, diff);
      const report = { diff, users: built.seed.users.length, unmapped: built.unmapped, missing: built.missing };
      if (options.dryRun) return { ...report, applied: false, dryRun: true, version: current?.version ?? 0 };
      const version = await this.commit(current, directory, built, 'full sync');
      this.deps.logger?.info({ districtId: this.districtId, version, users: report.users, added: diff.added.length, removed: diff.removed.length, moved: diff.moved.length, renamed: diff.renamed.length, unmapped: built.unmapped.length, ms: Date.now() - started }, 'directory synced from WeChat Work');
      return { ...report, applied: true, dryRun: false, version };
    };
    return options.dryRun ? run() : this.deps.exclusive(run);
  }

  /** A change_contact callback: re-reads what it names (the member, or the department tree) and applies it. */
  async applyChange(change: ContactChangeEvent): Promise<SyncReport> {
    return this.deps.exclusive(async () => {
      const current = await this.deps.snapshots.latest(this.districtId);
      if (!current) {
        this.deps.logger?.info({ change }, 'change_contact before the first directory sync: running a full sync');
        return this.fullSyncLocked();
      }
      const directory = await this.changedDirectory(current.directory, change);
      const built = this.build(directory, current);
      const diff = diffOrganisations(current.seed, built.seed);
      // One member's change writes that member's rows; the nightly full sync rewrites everyone.
      // What was applied before is the last snapshot under this process's config (as restore() applied it).
      const appliedBefore = this.build(current.directory, current).seed;
      const version = await this.commit(current, directory, built, change.changeType, appliedBefore);
      this.deps.logger?.info({ districtId: this.districtId, version, change, diff: formatDiff(diff) }, 'organisation updated from a change_contact callback');
      return { applied: true, dryRun: false, version, diff, users: built.seed.users.length, unmapped: built.unmapped, missing: built.missing };
    });
  }

  /**
   * At start-up: the organisation of the last sync, rebuilt with the current DISTRICT_CONFIG and
   * DIRECTORY_CONFIG (no WeChat Work call). Undefined when no sync has run yet.
   */
  async restore(): Promise<DistrictSeed | undefined> {
    return this.deps.exclusive(async () => {
      const current = await this.deps.snapshots.latest(this.districtId);
      if (!current) return undefined;
      const built = this.build(current.directory, current);
      await this.deps.applyOrganisation(built.seed);
      return built.seed;
    });
  }

  private async fullSyncLocked(): Promise<SyncReport> {
    const directory = await this.deps.reader.readAll();
    const built = this.build(directory, undefined);
    const diff = diffOrganisations(this.deps.skeleton, built.seed);
    const version = await this.commit(undefined, directory, built, 'full sync');
    return { applied: true, dryRun: false, version, diff, users: built.seed.users.length, unmapped: built.unmapped, missing: built.missing };
  }

  private build(directory: Directory, current: DirectorySnapshot | undefined): BuiltOrganisation {
    const built = buildOrganisation(this.deps.skeleton, this.deps.mapping, directory, current?.bindings ?? {});
    if (!built.ok) {
      this.deps.logger?.error({ districtId: this.districtId, problems: built.problems }, `directory sync refused, nothing applied. ${FIX_HINT}`);
      throw new DirectorySyncRefused(built.problems, FIX_HINT);
    }
    for (const entry of built.missing) this.deps.logger?.warn({ entry }, 'a mapped WeChat Work department no longer exists; its unit keeps no members. Update DIRECTORY_CONFIG');
    return built;
  }

  private refuseMassRemoval(before: DistrictSeed, diff: OrganisationDiff): void {
    const share = before.users.length === 0 ? 0 : diff.removed.length / before.users.length;
    if (share <= this.deps.mapping.maxRemovedShare) return;
    const problem = `it would remove ${diff.removed.length} of ${before.users.length} people (${Math.round(share * 100)}%, more than maxRemovedShare ${this.deps.mapping.maxRemovedShare})`;
    this.deps.logger?.error({ districtId: this.districtId, removed: diff.removed.length, of: before.users.length }, `directory sync refused: ${problem}`);
    throw new DirectorySyncRefused([problem], 'Check that the directory secret sees the whole directory; if the removals are real, run `npm run directory:sync -- --force`.');
  }

  private async commit(current: DirectorySnapshot | undefined, directory: Directory, built: BuiltOrganisation, source: string, appliedBefore?: DistrictSeed): Promise<number> {
    const version = await this.deps.snapshots.replace(current?.version ?? 0, { districtId: this.districtId, syncedAt: this.now(), source, directory, bindings: built.bindings, seed: built.seed });
    await this.deps.applyOrganisation(built.seed, appliedBefore);
    await this.deps.publish({ districtId: this.districtId, version });
    return version;
  }

  private async changedDirectory(directory: Directory, change: ContactChangeEvent): Promise<Directory> {
    if (isPartyChange(change)) {
      return { departments: await this.deps.reader.departments(), members: directory.members };
    }
    // Re-read even a deletion: callbacks can arrive out of order, and WeChat Work's answer now is what counts.
    const current = change.newUserId ?? change.userId;
    const gone = new Set([change.userId, current]);
    const fetched = await this.deps.reader.member(current);
    const fetchedList = fetched ? [fetched] : [];
    // A member may have joined a department created after the last read.
    const known = new Set(directory.departments.map((d) => d.id));
    const departments = fetched?.departments.some((d) => !known.has(d)) ? await this.deps.reader.departments() : directory.departments;
    return { departments, members: [...directory.members.filter((m) => !gone.has(m.userId)), ...fetchedList] };
  }
}
