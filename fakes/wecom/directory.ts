/**
 * The fake WeChat Work's directory (通讯录): departments and members that department/list,
 * user/list_id and user/get answer from, and that tests change. Each change returns the
 * change_contact event WeChat Work would push (ids only, as callbacks set since 2022 carry),
 * for `CallbackSender.sendContactChange`.
 */

export interface FakeDepartment { id: number; name: string; parentid: number; order: number }

export interface FakeMember {
  userid: string;
  name: string;
  department: number[];
  main_department: number;
  is_leader_in_dept: number[];
  /** 1 active, 2 disabled, 4 not activated, 5 left. */
  status: number;
  position: string;
}

export type ContactChange =
  | { changeType: 'create_user' | 'delete_user'; userId: string }
  | { changeType: 'update_user'; userId: string; newUserId?: string }
  | { changeType: 'create_party' | 'update_party' | 'delete_party'; partyId: number };

export interface MemberInput {
  userId: string;
  name: string;
  departments: number[];
  /** Departments the member leads. */
  leads?: number[];
  mainDepartment?: number;
  status?: number;
}

function memberFrom(input: MemberInput): FakeMember {
  return {
    userid: input.userId,
    name: input.name,
    department: [...input.departments],
    main_department: input.mainDepartment ?? input.departments[0] ?? 1,
    is_leader_in_dept: input.departments.map((d) => (input.leads?.includes(d) ? 1 : 0)),
    status: input.status ?? 1,
    position: '',
  };
}

export class FakeDirectory {
  private readonly departments = new Map<number, FakeDepartment>([[1, { id: 1, name: '示范企业', parentid: 0, order: 0 }]]);
  private readonly members = new Map<string, FakeMember>();

  /** Replaces the whole directory without events (a test's starting point). The root department 1 is kept. */
  load(input: { departments: { id: number; name: string; parentId?: number }[]; members: MemberInput[] }): void {
    for (const id of [...this.departments.keys()]) if (id !== 1) this.departments.delete(id);
    this.members.clear();
    for (const d of input.departments) this.departments.set(d.id, { id: d.id, name: d.name, parentid: d.parentId ?? 1, order: 0 });
    for (const m of input.members) this.members.set(m.userId, memberFrom(m));
  }

  department(id: number): FakeDepartment | undefined {
    return this.departments.get(id);
  }

  departmentList(): FakeDepartment[] {
    return [...this.departments.values()].map((d) => ({ ...d }));
  }

  member(userId: string): FakeMember | undefined {
    const member = this.members.get(userId);
    return member && { ...member, department: [...member.department], is_leader_in_dept: [...member.is_leader_in_dept] };
  }

  /** user/list_id rows: one per member and department, in a stable order. */
  memberRows(): { userid: string; department: number }[] {
    return [...this.members.values()].flatMap((m) => m.department.map((department) => ({ userid: m.userid, department })));
  }

  addMember(input: MemberInput): ContactChange {
    if (this.members.has(input.userId)) throw new Error(`fake directory already has ${input.userId}`);
    this.members.set(input.userId, memberFrom(input));
    return { changeType: 'create_user', userId: input.userId };
  }

  /** Moves a member to other departments (leading none unless `leads` says so). */
  moveMember(userId: string, departments: number[], leads: number[] = []): ContactChange {
    const member = this.required(userId);
    this.members.set(userId, memberFrom({ userId, name: member.name, departments, leads, status: member.status }));
    return { changeType: 'update_user', userId };
  }

  updateMember(userId: string, change: { name?: string; status?: number }): ContactChange {
    const member = this.required(userId);
    this.members.set(userId, { ...member, ...(change.name !== undefined && { name: change.name }), ...(change.status !== undefined && { status: change.status }) });
    return { changeType: 'update_user', userId };
  }

  removeMember(userId: string): ContactChange {
    this.required(userId);
    this.members.delete(userId);
    return { changeType: 'delete_user', userId };
  }

  addDepartment(department: { id: number; name: string; parentId?: number }): ContactChange {
    if (this.departments.has(department.id)) throw new Error(`fake directory already has department ${department.id}`);
    this.departments.set(department.id, { id: department.id, name: department.name, parentid: department.parentId ?? 1, order: 0 });
    return { changeType: 'create_party', partyId: department.id };
  }

  renameDepartment(id: number, name: string): ContactChange {
    const department = this.departments.get(id);
    if (!department) throw new Error(`fake directory has no department ${id}`);
    department.name = name;
    return { changeType: 'update_party', partyId: id };
  }

  /** WeChat Work refuses to delete a department that still has members or sub-departments; so does the fake. */
  removeDepartment(id: number): ContactChange {
    if ([...this.members.values()].some((m) => m.department.includes(id))) throw new Error(`department ${id} still has members`);
    if ([...this.departments.values()].some((d) => d.parentid === id)) throw new Error(`department ${id} still has sub-departments`);
    this.departments.delete(id);
    return { changeType: 'delete_party', partyId: id };
  }

  private required(userId: string): FakeMember {
    const member = this.members.get(userId);
    if (!member) throw new Error(`fake directory has no member ${userId}`);
    return member;
  }
}
