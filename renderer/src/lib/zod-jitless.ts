// zod compiles object parsers with `new Function` when it may, and finds out by trying once, as
// each object schema is made; the pages' Content-Security-Policy forbids eval, so that probe is a
// CSP violation. jitless: zod never tries (the interpreted parser, the same results). Imported
// before any module that makes a schema (lib/schemas.ts).
import { z } from 'zod';

z.config({ jitless: true });
