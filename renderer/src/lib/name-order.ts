// Names in the collator's order: shared with the core and the CLI (i18n/name-order.ts).
export { asciiOrder, byName, byNameQuick } from '../../../i18n/name-order.js';
