// The catalog key of each finding, step, button, guess and rehearsal outcome, written whole (the
// i18n key test finds every key the code names). Typed by the model, so a new code needs its words.
import type {
  DoctorAction,
  DoctorCode,
  DoctorSeverity,
  GuiGuess,
  RehearsalOutcome,
} from '../model/doctor.js';

export const FINDING_KEYS: Record<DoctorCode, string> = {
  'unit-program-missing': 'doctor:finding.unit-program-missing',
  'unit-workdir-missing': 'doctor:finding.unit-workdir-missing',
  'unit-target-missing': 'doctor:finding.unit-target-missing',
  'unit-target-not-reached': 'doctor:finding.unit-target-not-reached',
  'unit-needs-reload': 'doctor:finding.unit-needs-reload',
  'unit-masked': 'doctor:finding.unit-masked',
  'unit-link-broken': 'doctor:finding.unit-link-broken',
  'unit-failed': 'doctor:finding.unit-failed',
  'unit-gui-no-display': 'doctor:finding.unit-gui-no-display',
  'unit-gui-not-after-session': 'doctor:finding.unit-gui-not-after-session',
  'unit-needs-linger': 'doctor:finding.unit-needs-linger',
  'unit-starts-at-login': 'doctor:finding.unit-starts-at-login',
  'cron-not-running': 'doctor:finding.cron-not-running',
  'cron-not-at-boot': 'doctor:finding.cron-not-at-boot',
  'cron-denied': 'doctor:finding.cron-denied',
  'cron-program-missing': 'doctor:finding.cron-program-missing',
  'cron-program-not-on-path': 'doctor:finding.cron-program-not-on-path',
  'cron-gui': 'doctor:finding.cron-gui',
  'cron-percent': 'doctor:finding.cron-percent',
  'autostart-exec-missing': 'doctor:finding.autostart-exec-missing',
  'autostart-tryexec-missing': 'doctor:finding.autostart-tryexec-missing',
  'autostart-hidden': 'doctor:finding.autostart-hidden',
  'autostart-not-this-desktop': 'doctor:finding.autostart-not-this-desktop',
  'autostart-gnome-disabled': 'doctor:finding.autostart-gnome-disabled',
  'autostart-shadowed': 'doctor:finding.autostart-shadowed',
  'autostart-invalid': 'doctor:finding.autostart-invalid',
  'started-twice': 'doctor:finding.started-twice',
  'login-and-boot': 'doctor:finding.login-and-boot',
};

export const STEP_KEYS = {
  'unit-program-missing': 'doctor:step.unit-program-missing',
  'unit-workdir-missing': 'doctor:step.unit-workdir-missing',
  'unit-target-missing': 'doctor:step.unit-target-missing',
  'unit-target-not-reached': 'doctor:step.unit-target-not-reached',
  'unit-gui-no-display': 'doctor:step.unit-gui-no-display',
  'unit-gui-not-after-session': 'doctor:step.unit-gui-not-after-session',
  'cron-not-running': 'doctor:step.cron-not-running',
  'cron-not-at-boot': 'doctor:step.cron-not-at-boot',
  'cron-denied': 'doctor:step.cron-denied',
  'cron-program-missing': 'doctor:step.cron-program-missing',
  'cron-gui': 'doctor:step.cron-gui',
  'cron-percent': 'doctor:step.cron-percent',
  'autostart-exec-missing': 'doctor:step.autostart-exec-missing',
  'autostart-tryexec-missing': 'doctor:step.autostart-tryexec-missing',
  'autostart-not-this-desktop': 'doctor:step.autostart-not-this-desktop',
  'autostart-gnome-disabled': 'doctor:step.autostart-gnome-disabled',
  'autostart-invalid': 'doctor:step.autostart-invalid',
  'started-twice': 'doctor:step.started-twice',
  'login-and-boot': 'doctor:step.login-and-boot',
} satisfies Partial<Record<DoctorCode, string>>;

export const ACTION_KEYS: Record<DoctorAction['kind'], string> = {
  'daemon-reload': 'doctor:action.daemon-reload',
  unmask: 'doctor:action.unmask',
  restart: 'doctor:action.restart',
  'remove-broken-link': 'doctor:action.remove-broken-link',
  'enable-linger': 'doctor:action.enable-linger',
  'autostart-enable': 'doctor:action.autostart-enable',
  'cron-full-path': 'doctor:action.cron-full-path',
};

export const GUESS_KEYS: Record<GuiGuess['how'], string> = {
  toolkit: 'doctor:guess.toolkit',
  'known-list': 'doctor:guess.known-list',
  user: 'doctor:guess.user',
};

export const REHEARSAL_KEYS: Record<RehearsalOutcome, string> = {
  up: 'doctor:rehearsal.up',
  done: 'doctor:rehearsal.done',
  failed: 'doctor:rehearsal.failed',
  hung: 'doctor:rehearsal.hung',
  'not-started': 'doctor:rehearsal.not-started',
};

export const SEVERITY_KEYS: Record<DoctorSeverity, string> = {
  error: 'doctor:severity.error',
  warning: 'doctor:severity.warning',
  info: 'doctor:severity.info',
};
