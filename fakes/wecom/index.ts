export { FakeWecomServer, type FakeAppChat, type FakeMedia, type FakeWecomServerOptions, type MemberDrop, type RecordedCall } from './server';
export { Inbox, type CardUpdateRecord, type InboxChannel, type InboxMessage } from './inbox';
export type { FailureKind, FailureRule } from './failures';
export { FakeDirectory, type ContactChange, type FakeDepartment, type FakeMember, type MemberInput } from './directory';
