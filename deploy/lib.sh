# shellcheck shell=bash
# Helpers the cluster scripts share; sourced by them, never run on its own.

# A die inside $(...) must stop the script, not only the subshell that runs the substitution
# (bash clears errexit there otherwise, and `kind="$(cluster_kind)"` carried on without a context).
shopt -s inherit_errexit

# The running script's name, in front of every error it prints. FAILURE_PREFIX (set before
# sourcing) adds a word such as "FAILED:" for scripts whose errors are test verdicts.
SCRIPT_NAME="$(basename "$0")"

log() { printf '==> %s\n' "$*"; }

die() {
  printf '%s: %s%s\n' "$SCRIPT_NAME" "${FAILURE_PREFIX:-}" "$*" >&2
  exit 1
}

# Stops with an install hint when a command the script needs is missing.
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed. $2"; }

# Prints the comment block at the top of the running script: its --help.
usage() { sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'; }
