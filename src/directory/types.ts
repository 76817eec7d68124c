/**
 * The organisation as WeChat Work's directory (通讯录) holds it: departments in a tree and members,
 * read through department/list, user/list_id and user/get. Plain data: nothing here calls WeChat Work.
 * Mobile and e-mail are absent on purpose (since 2022 new self-built apps do not receive them).
 */
export interface DirectoryDepartment {
  id: number;
  name: string;
  /** 0 for the root department. */
  parentId: number;
}

export interface DirectoryMember {
  userId: string;
  name: string;
  /** Every department the member is in, as user/get lists them. */
  departments: number[];
  mainDepartment?: number;
  /** Departments whose leader the member is (is_leader_in_dept = 1). */
  leaderIn: number[];
  /** 1 active, 2 disabled, 4 not yet activated, 5 left. Disabled or left members hold no roles. */
  status: number;
}

export interface Directory {
  departments: DirectoryDepartment[];
  members: DirectoryMember[];
}

/** Which WeChat Work department id each mapping entry resolved to (by entry key), kept between syncs. */
export type DirectoryBindings = Record<string, number>;

/** Members who still count (active or not yet activated). */
export function holdsRoles(member: DirectoryMember): boolean {
  return member.status !== 2 && member.status !== 5;
}
