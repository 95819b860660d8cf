// The catalog keys the card needs per severity and per kind of GUI guess, written whole.
import type { DoctorSeverity, GuiGuess } from '../../../contract/index.js';

export const SEVERITY_LABEL_KEYS: Record<DoctorSeverity, string> = {
  error: 'doctor:card.severity-error',
  warning: 'doctor:card.severity-warning',
  info: 'doctor:card.severity-info',
};

export const GUESS_KEYS: Record<GuiGuess['how'], string> = {
  toolkit: 'doctor:guess.toolkit',
  'known-list': 'doctor:guess.known-list',
  user: 'doctor:guess.user',
};
