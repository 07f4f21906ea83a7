// What case and consultation workflows compute with: pure functions, machines and schemas, loaded
// once per worker and shared by every case (`logic()`). Nothing here may keep state that changes a
// result (the calendar's remembered conversions only save time), read the clock or randomness at
// load, or import `@temporalio/workflow`: a test checks the last.
export { CaseRecord, Refusal } from './caseRecord';
export { RULES_VERSION } from '../machines/common/rules';
export { TIMER } from '../machines/common/envelope';
export {
  applyConsultationEvent,
  Consultation,
  consultationActions,
  ConsultationEvent,
  CONSULTATION_ROLES,
  LAPSE_DAYS,
  openConsultation,
} from '../machines/consultation';
