export type { CaseChange, CaseStore, DeadlineSync, LifecycleConfig, LifecycleDeps, LifecycleNotifier, OrgDirectory } from './deps';
export { submitReport, type ReportSubmission, type SubmitOutcome } from './submitReport';
export { runCaseCommand } from './runCaseCommand';
export { caseByNumber, casesReportedBy, readCaseByNumber, type CaseReading } from './queries';
export { afterTransition } from './afterTransition';
export { actorForUser, reporterActor, reportingActor, SYSTEM_ACTOR } from './actors';
export { lifecycleConfig } from './config';
export { caseStoreFrom } from './caseStore';
