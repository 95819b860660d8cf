// The contract's own schemas, for a page's checks as the user types (the core checks again).
// zod-jitless first: the schemas are made when settings-schemas is evaluated.
import './zod-jitless';

export { hostDestinationSchema, hostNameSchema } from '../../../contract/settings-schemas.js';
