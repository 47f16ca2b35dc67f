// Loaded before every test file (vitest setupFiles), so that every file gets the harness's
// cleanup: no process or database outlives the file that made it, even if the file forgot.
import './vitest.js';
