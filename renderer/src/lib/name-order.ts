// The renderer's name order is the core's: one module, in the neutral i18n/ folder.
export { asciiOrder, byName, byNameQuick } from '../../../i18n/name-order.js';
