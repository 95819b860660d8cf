// What a text field of a form takes: TextField and the fields built on it (CommandField,
// LogField) declare it once here.

export interface FieldProps {
  /** Unique on the page; the input's id. */
  id: string;
  label: string;
  value: string;
  placeholder?: string;
  optional?: boolean;
  /** Problems with what was typed, in words; the field is marked invalid while there are any. */
  issues?: string[];
  oninput?: () => void;
}
