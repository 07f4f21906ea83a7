import type { PathwayId } from './common/case';
import { frozen, type Frozen } from '../validation/frozen';
import { own } from '../validation/lookup';

/**
 * What people call things. Every pathway, state, event and closure reason the machines use has
 * a name here (a test walks the machines to keep it so); pages, reports and messages use these,
 * never the code names.
 */

export const PATHWAY_NAMES: Frozen<Record<PathwayId, string>> = frozen({
  parentInfant: 'Parent–infant ReConnect',
  frontDoor: "Children's social care front door",
  reconnect: 'RECONNECT care after custody',
  enhancedReconnect: 'Enhanced RECONNECT',
});

export const STATE_NAMES: Frozen<Record<string, string>> = frozen({
  received: 'Referral received',
  open: 'Open',
  screening: 'Waiting for screening',
  awaitingTeamMeeting: 'Waiting for the team meeting',
  assessment: 'Being assessed',
  engagement: 'Receiving support',
  closed: 'Closed',
  awaitingDecision: 'Waiting for a decision on the referral',
  childInNeedAssessment: 'Child and family assessment',
  strategyDiscussion: 'Strategy discussion within 1 working day',
  section47Enquiry: 'Child protection enquiry (section 47)',
  childInNeedPlan: 'Child in need plan',
  childProtectionPlan: 'Child protection plan',
  preProceedings: 'Pre-proceedings (PLO)',
  careProceedings: 'Care proceedings',
  awaitingPreReleaseWindow: 'Waiting for the pre-release period',
  preRelease: 'Support before release',
  postRelease: 'Support after release',
});

export const EVENT_NAMES: Frozen<Record<string, string>> = frozen({
  REFERRAL_RECEIVED: 'Referral received',
  ACCEPT_FOR_ASSESSMENT: 'Accept for assessment',
  REFER_TO_TEAM_MEETING: 'Send to the team meeting',
  DECLINE_AT_SCREENING: 'Decline at screening',
  TEAM_MEETING_DECISION: 'Record the team meeting decision',
  MEETING_DECISION_OVERDUE: 'Team meeting decision overdue',
  ASSESSMENT_COMPLETED: 'Record the assessment outcome',
  RECORD_CONTACT: 'Record a contact',
  SOCIAL_CARE_STATUS_CHANGED: 'Social care status changed',
  CARE_PROCEEDINGS_STARTED: 'Care proceedings started',
  ASSIGN_WORKER: 'Name a worker',
  REFERENCE_DATA_UPDATED: 'Bank holidays updated',
  SET_FOLLOW_UP: 'Set a follow-up reminder',
  NOTE_RECORDED: 'Record a case note',
  NOTE_AMENDED: 'Amend a case note',
  NOTE_SIGNED_OFF: 'Sign off a case note',
  DETAILS_CORRECTED: 'Correct or update details',
  TRANSFER_REQUESTED: 'Transfer to another team',
  TRANSFER_ACCEPTED: 'Accept the transfer',
  TRANSFER_DECLINED: 'Decline the transfer',
  TRANSFER_WITHDRAWN: 'Withdraw the transfer',
  FOLLOW_UP_DUE: 'Follow-up reminder due',
  CLOSE: 'Close the case',
  REFERRAL_DECISION: 'Decide on the referral',
  STRATEGY_DISCUSSION_HELD: 'Record the strategy discussion',
  INITIAL_CONFERENCE_HELD: 'Record the initial child protection conference',
  CORE_GROUP_HELD: 'Record a core group meeting',
  REVIEW_CONFERENCE_HELD: 'Record a review conference',
  ENTER_PRE_PROCEEDINGS: 'Start pre-proceedings',
  PRE_PROCEEDINGS_ENDED: 'End pre-proceedings',
  CARE_PROCEEDINGS_ISSUED: 'Care proceedings issued',
  PROCEEDINGS_EXTENDED: 'Proceedings extended',
  PROCEEDINGS_CONCLUDED: 'Proceedings concluded',
  PLAN_ENDED: 'End the plan',
  FAMILY_INFORMED: 'Record that the family was told',
  CHILD_DETAILS_RECORDED: "Record the child's details for the census",
  RECORD_OVERDUE_REASON: 'Explain why a deadline was missed',
  ENQUIRY_STEP_RECORDED: 'Record an enquiry step',
  PRE_RELEASE_WINDOW_OPENED: 'Pre-release period began',
  RELEASE_DATE_CHANGED: 'Release date changed',
  RELEASED: 'Released',
  RELEASE_DATE_REACHED: 'Release date reached',
  RECALLED: 'Recalled to custody',
  REMOVED_FROM_UK: 'Removed from the UK',
  SET_RECEIVING_SERVICE: 'Name the receiving service',
  HANDOVER_COMPLETED: 'Record the handover',
  REQUEST_EXTENSION: 'Ask for an extension',
  APPROVE_EXTENSION: 'Approve the extension',
  REJECT_EXTENSION: 'Refuse the extension',
  POST_RELEASE_LIMIT_REACHED: 'Support limit reached',
  NEEDS_MET: 'Needs met',
  RELEASE_DATE_CORRECTED: 'Correct the release date',
  REFERRER_CONTACTED: 'Record contact with the referrer',
  PEER_SUPPORT_OFFERED: 'Record peer support offered',
  REPORT_REFUSED: 'Report from another system refused',
  REMINDER: 'Reminder sent',
  EFFECT_FAILED: 'A message or update could not be sent',
  ENDED_OUTSIDE_THE_SERVICE: 'Ended in Temporal, outside the service',
});

export const CLOSURE_NAMES: Frozen<Record<string, string>> = frozen({
  completed: 'Support completed',
  socialCareNoLongerInvolved: 'Social care no longer involved',
  careProceedingsStarted: 'Care proceedings started',
  declinedAtScreening: 'Declined at screening',
  declinedAtTeamMeeting: 'Declined at the team meeting',
  notSuitableAfterAssessment: 'Not suitable after assessment',
  withdrewConsent: 'Consent withdrawn',
  disengaged: 'Stopped engaging',
  movedOutOfArea: 'Moved out of the area',
  other: 'Other reason',
  noFurtherAction: 'No further action',
  adviceAndConsultation: 'Advice and consultation',
  signpostedToServices: 'Signposted to other services',
  childInNeedPlanEnded: 'Child in need plan ended',
  childProtectionPlanEnded: 'Child protection plan ended',
  proceedingsConcluded: 'Proceedings concluded',
  needsMet: 'Needs met',
  sixMonthLimitReached: 'Six-month support limit reached',
  twelveMonthLimitReached: 'Twelve-month support limit reached',
  extensionEnded: 'Extension ended',
  declinedConsent: 'Did not consent',
  referralOutOfWindow: 'Referred outside the pre-release window',
  notAppropriate: 'Service not appropriate',
  removedFromUk: 'Removed from the UK',
  died: 'Died',
  noLongerOpenToProbationOrNsd: 'No longer open to probation or the National Security Division',
  movedOutOfBirminghamAndSolihull: 'Moved out of Birmingham and Solihull',
});

/** Clocks, referrer roles, decisions and statuses that reports name. */
export const CODE_NAMES: Frozen<Record<string, string>> = frozen({
  screeningDue: 'Screening within 1 working day',
  referralDecision: 'Referral decision within 1 working day',
  assessment: 'Assessment within 45 working days',
  assessmentDue: 'Assessment within 5 working days',
  strategyDiscussion: 'Strategy discussion within 1 working day',
  initialConference: 'Initial child protection conference within 15 working days',
  firstCoreGroup: 'First core group within 10 working days',
  referrerNextSteps: 'Referrer told the next steps within 5 working days',
  extensionDecisionDue: 'Extension decided within 2 working days',
  accepted: 'Accepted',
  declined: 'Declined',
  section17: 'Child in need assessment (section 17)',
  section47: 'Child protection enquiry (section 47)',
  universalOrSpecialistServices: 'Universal or specialist services',
  mentalHealthProfessional: 'Mental health professional',
  socialWorker: 'Social worker',
  midwife: 'Midwife',
  healthVisitor: 'Health visitor',
  familyNursePartnership: 'Family Nurse Partnership',
  womensAid: "Women's Aid",
  drugAndAlcoholService: 'Drug and alcohol service',
  childAndFamilyWorker: 'Child and family worker',
  supportWorker: 'Support worker',
  gp: 'GP',
  otherProfessional: 'Other professional',
  self: 'Self-referral',
  prisonHealthcare: 'Prison healthcare',
  friendOrFamily: 'Friend or family',
  probation: 'Probation',
  police: 'Police',
  liaisonAndDiversion: 'Liaison and diversion',
  homeOfficeEnforcement: 'Home Office Immigration Enforcement',
  nationalSecurityDivision: 'National Security Division',
  school: 'School',
  health: 'Health',
  earlyYears: 'Early years',
  family: 'Family',
  publicMember: 'Member of the public',
  anonymous: 'Anonymous',
  childProtectionPlan: 'Child protection plan',
  preProceedingsPlo: 'Pre-proceedings (PLO)',
  childInNeed: 'Child in need',
  careProceedings: 'Care proceedings',
  closedToSocialCare: 'Closed to social care',
  none: 'None',
  unknown: 'Not recorded',
});

/** The answers the referral and action forms offer, by their codes: forms show these, never the codes. */
export const ANSWER_NAMES: Frozen<Record<string, string>> = frozen({
  // Parent–infant: concerns named in the published criteria.
  domesticAbuse: 'Domestic abuse',
  mentalIllness: 'Parental mental illness',
  substanceMisuse: 'Substance misuse',
  neglectOrAbuse: 'Neglect or abuse',
  previousChildrenRemoved: 'Previous children removed from their care',
  parentChildhoodTrauma: "Parent's own childhood trauma",
  emotionalNeedsOrBonding: 'Emotional needs or bonding',
  // Custody pathways: the enhanced service's criteria, where the person is.
  drugOrAlcoholIssues: 'Drug or alcohol issues',
  highRiskOfSeriousHarm: 'High risk of serious harm',
  ippSentence: 'Imprisonment for public protection (IPP) sentence',
  learningDifficulties: 'Learning difficulties',
  mappaLevel2or3: 'MAPPA level 2 or 3',
  mentalHealthConcerns: 'Mental health concerns',
  offenderPersonalityDisorderPathway: 'Offender personality disorder pathway',
  riskOfSelfHarmOrSuicide: 'Risk of self-harm or suicide',
  inCustody: 'In custody',
  released: 'Released',
  prison: 'Prison',
  irc: 'Immigration removal centre',
  // How to reach the referrer.
  email: 'Email',
  phone: 'Phone',
  // Decisions and outcomes.
  accept: 'Accept',
  decline: 'Decline',
  defer: 'Defer to the next meeting',
  escalateToSection47: 'Escalate to a child protection enquiry (section 47)',
  continuePlan: 'Continue the plan',
  endPlan: 'End the plan',
  stepDownToChildInNeed: 'Step down to child in need',
  reviewConference: 'Review conference',
  // Contacts.
  consultation: 'Consultation',
  groupSession: 'Group session',
  individualTherapy: 'Individual therapy',
  videoInteractionGuidance: 'Video interaction guidance',
  faceToFace: 'Face to face',
  telephone: 'Telephone',
  video: 'Video call',
  // Steps of a child protection enquiry.
  childSeen: 'Child seen',
  childSeenAlone: 'Child seen alone',
  jointEnquiryWithPolice: 'Joint enquiry with the police',
  paediatricMedicalExamination: 'Paediatric medical examination',
  parentalResponsibilityContacted: 'People with parental responsibility contacted',
  parentsContacted: 'Parents contacted',
  professionalsContacted: 'Professionals contacted',
  // Who a correction is about, and what it changes.
  referrer: 'Referrer',
  address: 'Address',
});

/**
 * A code name in words; an unknown one reads as itself, split at capitals, never blank. A code
 * may be a caller's (a page's query), so only the table's own entries count, never `constructor`.
 */
function named(table: Readonly<Record<string, string>>, code: string): string {
  return own(table, code) ?? code.replace(/([a-z])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
}

export const pathwayName = (id: string) => named(PATHWAY_NAMES, id);
export const stateName = (state: string) => named(STATE_NAMES, state);
export const eventName = (type: string) => named(EVENT_NAMES, type);
export const closureName = (reason: string) => named(CLOSURE_NAMES, reason);
export const codeName = (code: string) => named({ ...CODE_NAMES, ...CLOSURE_NAMES }, code);
