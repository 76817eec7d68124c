import { Schema, type Connection, type Model } from 'mongoose';
import type { GroupChat, Role } from '../../config/district';

/** The organisation tree: district → streets → communities → grids, plus departments and users. */
export interface DistrictDoc { _id: string; name: string; leadershipChat: GroupChat }
export interface StreetDoc { _id: string; districtId: string; name: string; chat?: GroupChat; dispatcherUserIds: string[] }
export interface CommunityDoc { _id: string; districtId: string; streetId: string; name: string; chat?: GroupChat }
export interface GridDoc { _id: string; districtId: string; streetId: string; communityId: string; name: string; memberUserIds: string[] }
export interface DepartmentDoc {
  /** `${districtId}:${code}`: codes are per district, a city holds several districts. */
  _id: string;
  districtId: string;
  code: string;
  name: string;
  chat: GroupChat;
  leadUserIds: string[];
  memberUserIds: string[];
}
export interface UserDoc {
  /** The WeChat Work userid. */
  _id: string;
  districtId: string;
  name: string;
  roles: Role[];
  deptCode?: string;
  streetId?: string;
  communityId?: string;
  gridId?: string;
  mobile?: string;
}

// Group chats are stored as a plain sub-document; the union is validated when the seed is loaded.
const chatField = { type: Schema.Types.Mixed };

const districtSchema = new Schema<DistrictDoc>({ _id: String, name: String, leadershipChat: chatField }, { versionKey: false });
const streetSchema = new Schema<StreetDoc>(
  { _id: String, districtId: { type: String, index: true }, name: String, chat: chatField, dispatcherUserIds: [String] },
  { versionKey: false },
);
const communitySchema = new Schema<CommunityDoc>(
  { _id: String, districtId: String, streetId: { type: String, index: true }, name: String, chat: chatField },
  { versionKey: false },
);
const gridSchema = new Schema<GridDoc>(
  { _id: String, districtId: String, streetId: String, communityId: { type: String, index: true }, name: String, memberUserIds: [String] },
  { versionKey: false },
);
const departmentSchema = new Schema<DepartmentDoc>(
  { _id: String, districtId: { type: String, index: true }, code: String, name: String, chat: chatField, leadUserIds: [String], memberUserIds: [String] },
  { versionKey: false },
);
const userSchema = new Schema<UserDoc>(
  {
    _id: String,
    districtId: { type: String, index: true },
    name: String,
    roles: [String],
    deptCode: String,
    streetId: String,
    communityId: String,
    gridId: String,
    mobile: String,
  },
  { versionKey: false },
);

export interface OrgModels {
  District: Model<DistrictDoc>;
  Street: Model<StreetDoc>;
  Community: Model<CommunityDoc>;
  Grid: Model<GridDoc>;
  Department: Model<DepartmentDoc>;
  User: Model<UserDoc>;
}

export function orgModels(connection: Connection): OrgModels {
  const model = <T>(name: string, schema: Schema<T>): Model<T> =>
    (connection.models[name] as Model<T> | undefined) ?? connection.model<T>(name, schema);
  return {
    District: model('District', districtSchema),
    Street: model('Street', streetSchema),
    Community: model('Community', communitySchema),
    Grid: model('Grid', gridSchema),
    Department: model('Department', departmentSchema),
    User: model('User', userSchema),
  };
}
