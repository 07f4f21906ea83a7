export { caseWorkflow } from './case';
export { consultationWorkflow } from './consultation';
