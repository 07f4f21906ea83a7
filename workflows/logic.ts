// What case and consultation workflows compute with: pure functions, machines and schemas, loaded
// once per worker and shared by every case (`logic()`). Nothing here may keep state that changes a
// result (the calendar's remembered conversions only save time), read the clock or randomness, or
// import `@temporalio/workflow`; tests and the lint check. Only frozen data, functions and classes
// are exported, never a schema or a machine (`sharedModules.ts` says why, and refuses them).
export { CaseRecord, Refusal, refusalToOpen } from './caseRecord';
export { RULES_VERSION } from '../machines/common/rules';
export { TIMER } from '../machines/common/envelope';
export {
  applyConsultationEvent,
  consultationActions,
  CONSULTATION_ROLES,
  LAPSE_DAYS,
  openConsultation,
  parseConsultation,
  parseConsultationEvent,
} from '../machines/consultation';
