import type { RedisClient } from '../../infra/redis';
import type { Logger } from '../../infra/logger';
import type { Directory, DirectoryDepartment, DirectoryMember } from '../../src/directory/types';
import { WecomApiError, WecomHttpError } from './apiErrors';
import type { WecomEnvelope } from './apiHttp';
import { WecomApiClient } from './apiClient';

/** user/get for a userid that is not (or no longer) in the directory. */
export const USER_NOT_FOUND_ERRCODE = 60111;

export interface DirectoryClientOptions {
  baseUrl: string;
  corpId: string;
  /** The 通讯录同步 secret (管理工具 → 通讯录同步): not the app's. user/list_id accepts no other. */
  secret: string;
  redis: RedisClient;
  keyPrefix: string;
  /** user/list_id page size (1–10000). */
  pageSize?: number;
  timeoutMs?: number;
  logger?: Logger;
}

export interface DirectoryProgress {
  phase: 'departments' | 'member ids' | 'members';
  done: number;
  /** Known for `members` only. */
  total?: number;
}

function numbers(value: unknown): number[] {
  return Array.isArray(value) ? value.map(Number).filter((n) => Number.isInteger(n)) : [];
}

function departmentFrom(raw: unknown, path: string): DirectoryDepartment {
  if (typeof raw !== 'object' || raw === null) throw new WecomHttpError(path, 200, 'a department entry is not an object');
  const { id, name, parentid } = raw as Record<string, unknown>;
  if (typeof id !== 'number') throw new WecomHttpError(path, 200, 'a department entry has no numeric id');
  // Self-built apps get names; when WeChat Work withholds one, the id stands in.
  return { id, name: typeof name === 'string' && name !== '' ? name : `部门${id}`, parentId: typeof parentid === 'number' ? parentid : 0 };
}

export function memberFrom(envelope: WecomEnvelope, path: string): DirectoryMember {
  const { userid, name, main_department: main, status } = envelope;
  if (typeof userid !== 'string' || userid === '') throw new WecomHttpError(path, 200, 'answer has no userid');
  const departments = numbers(envelope.department);
  const leaderFlags = numbers(envelope.is_leader_in_dept);
  return {
    userId: userid,
    name: typeof name === 'string' && name !== '' ? name : userid,
    departments,
    ...(typeof main === 'number' && { mainDepartment: main }),
    leaderIn: departments.filter((_, i) => leaderFlags[i] === 1),
    status: typeof status === 'number' ? status : 1,
  };
}

/**
 * WeChat Work's directory read with the directory-sync secret, whose access token is its own
 * (cached in Redis under its own key, apart from the app's). Only ids, names, departments and
 * leadership are read: never mobile or e-mail.
 */
export class DirectoryClient {
  private readonly api: WecomApiClient;
  private readonly pageSize: number;

  constructor(options: DirectoryClientOptions) {
    this.pageSize = options.pageSize ?? 1000;
    this.api = new WecomApiClient({
      baseUrl: options.baseUrl,
      corpId: options.corpId,
      secret: options.secret,
      agentId: 0,
      redis: options.redis,
      keyPrefix: options.keyPrefix,
      tokenKey: `${options.keyPrefix}:wecom:access-token:${options.corpId}:directory`,
      ...(options.timeoutMs !== undefined && { timeoutMs: options.timeoutMs }),
      ...(options.logger && { logger: options.logger }),
    });
  }

  /** department/list: every department the secret sees (the whole tree for the directory secret). */
  async departments(): Promise<DirectoryDepartment[]> {
    const path = '/cgi-bin/department/list';
    const envelope = await this.api.getJson(path);
    if (!Array.isArray(envelope.department)) throw new WecomHttpError(path, 200, 'answer has no department list');
    return envelope.department.map((d) => departmentFrom(d, path));
  }

  /** user/list_id, page after page (cursor), until next_cursor is empty: every member's userid once. */
  async memberIds(onPage?: (count: number) => void): Promise<string[]> {
    const path = '/cgi-bin/user/list_id';
    const ids = new Set<string>();
    let cursor: string | undefined;
    for (;;) {
      const envelope = await this.api.postJson(path, cursor === undefined ? { limit: this.pageSize } : { cursor, limit: this.pageSize });
      if (!Array.isArray(envelope.dept_user)) throw new WecomHttpError(path, 200, 'answer has no dept_user list');
      for (const row of envelope.dept_user) {
        const userId = typeof row === 'object' && row !== null ? (row as Record<string, unknown>).userid : undefined;
        if (typeof userId === 'string' && userId !== '') ids.add(userId);
      }
      onPage?.(ids.size);
      const next = envelope.next_cursor;
      if (typeof next !== 'string' || next === '') return [...ids];
      cursor = next;
    }
  }

  /** user/get; undefined when WeChat Work no longer knows the userid (60111). */
  async member(userId: string): Promise<DirectoryMember | undefined> {
    const path = '/cgi-bin/user/get';
    try {
      return memberFrom(await this.api.getJson(path, { userid: userId }), path);
    } catch (error) {
      if (error instanceof WecomApiError && error.errcode === USER_NOT_FOUND_ERRCODE) return undefined;
      throw error;
    }
  }

  /**
   * The whole directory: departments, then every member id, then each member. Any failure throws:
   * a directory read half-way is never returned.
   */
  async readAll(onProgress?: (progress: DirectoryProgress) => void): Promise<Directory> {
    const departments = await this.departments();
    onProgress?.({ phase: 'departments', done: departments.length });
    const ids = await this.memberIds((count) => onProgress?.({ phase: 'member ids', done: count }));
    const members: DirectoryMember[] = [];
    for (const [i, userId] of ids.entries()) {
      const member = await this.member(userId);
      if (member) members.push(member);
      if ((i + 1) % 50 === 0 || i + 1 === ids.length) onProgress?.({ phase: 'members', done: i + 1, total: ids.length });
    }
    return { departments, members };
  }
}
