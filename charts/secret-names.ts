// Which environment variable names hold secrets: one rule for the constructs (which refuse such
// a name as a plain setting) and for `npm run verify` (which flags one with a literal value).

const SECRET_NAME = /secret|password|passwd|token|api_?key|private_?key|credential|database_url/i;

/** Whether a variable of this name holds a secret, so its value belongs in a Secret, never in a manifest. */
export function looksLikeSecret(variable: string): boolean {
  return SECRET_NAME.test(variable);
}
