#!/usr/bin/env bash
# Deletes the local kind cluster and the image registry container that make kind-up created.
# Whatever of them is already gone is skipped, so it can run again at any time.
#
# Settings (environment):
#   KIND_CLUSTER     cluster name (default billing)
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KIND_CLUSTER="${KIND_CLUSTER:-billing}"
REGISTRY_NAME=kind-registry

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && {
  usage
  exit 0
}

need kind "Install kind: https://kind.sigs.k8s.io/docs/user/quick-start/#installation (without it there is no kind cluster to delete)."
need docker "Install Docker (kind runs its clusters in it)."

if kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; then
  log "Deleting kind cluster $KIND_CLUSTER"
  kind delete cluster --name "$KIND_CLUSTER"
else
  log "kind cluster $KIND_CLUSTER does not exist"
fi
if docker inspect "$REGISTRY_NAME" >/dev/null 2>&1; then
  log "Removing registry $REGISTRY_NAME"
  docker rm --force "$REGISTRY_NAME" >/dev/null
else
  log "Registry $REGISTRY_NAME does not exist"
fi
