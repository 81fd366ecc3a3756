// Imported first by main.ts, so it runs before any module parses with zod: the page's CSP refuses eval, and
// zod would otherwise probe `new Function` once (caught, but the browser reports the refusal).
import { config } from 'zod';

config({ jitless: true });
