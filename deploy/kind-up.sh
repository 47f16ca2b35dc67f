#!/usr/bin/env bash
# Creates a local kind cluster with the local image registry the dev manifests pull from
# (localhost:5001, kind's local-registry convention), or completes one that exists:
#
#   1. a registry container, kind-registry, published on 127.0.0.1:5001;
#   2. the kind cluster, with containerd reading per-registry config from /etc/containerd/certs.d;
#   3. on every node, localhost:5001 mapped to the registry container (inside a node, localhost
#      is the node itself);
#   4. the registry container on the kind network, and the local-registry-hosting ConfigMap that
#      tells tools where it is;
#   5. kubectl's context switched to the cluster.
#
# Every step checks first, so it can run again at any time. kind's default network plugin
# enforces NetworkPolicy from kind 0.24 on.
#
# Settings (environment):
#   KIND_CLUSTER     cluster name (default billing)
#   REGISTRY_PORT    host port of the registry (default 5001, as dist/ names the images)
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

KIND_CLUSTER="${KIND_CLUSTER:-billing}"
REGISTRY_PORT="${REGISTRY_PORT:-5001}"
REGISTRY_NAME=kind-registry
REGISTRY_IMAGE=docker.io/library/registry:2.8.3

[[ "${1:-}" == "-h" || "${1:-}" == "--help" ]] && {
  usage
  exit 0
}

need docker "Install Docker."
need kind "Install kind 0.24 or newer: https://kind.sigs.k8s.io/docs/user/quick-start/#installation"
need kubectl "See https://kubernetes.io/docs/tasks/tools/."

state="$(docker inspect --format '{{.State.Running}}' "$REGISTRY_NAME" 2>/dev/null || true)"
if [[ "$state" == true ]]; then
  log "Registry $REGISTRY_NAME is running"
elif [[ "$state" == false ]]; then
  log "Starting registry $REGISTRY_NAME"
  docker start "$REGISTRY_NAME" >/dev/null
else
  log "Creating registry $REGISTRY_NAME on 127.0.0.1:$REGISTRY_PORT"
  docker run --detach --restart=always --publish "127.0.0.1:$REGISTRY_PORT:5000" --network bridge \
    --name "$REGISTRY_NAME" "$REGISTRY_IMAGE" >/dev/null
fi

if kind get clusters 2>/dev/null | grep -qx "$KIND_CLUSTER"; then
  log "kind cluster $KIND_CLUSTER exists"
else
  log "Creating kind cluster $KIND_CLUSTER"
  kind create cluster --name "$KIND_CLUSTER" --config=- <<'EOF'
kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
containerdConfigPatches:
  - |-
    [plugins."io.containerd.grpc.v1.cri".registry]
      config_path = "/etc/containerd/certs.d"
EOF
fi

registry_dir="/etc/containerd/certs.d/localhost:$REGISTRY_PORT"
for node in $(kind get nodes --name "$KIND_CLUSTER"); do
  log "Node $node pulls localhost:$REGISTRY_PORT from $REGISTRY_NAME"
  docker exec "$node" mkdir -p "$registry_dir"
  printf '[host."http://%s:5000"]\n' "$REGISTRY_NAME" | docker exec -i "$node" cp /dev/stdin "$registry_dir/hosts.toml"
done

if [[ "$(docker inspect --format '{{json .NetworkSettings.Networks.kind}}' "$REGISTRY_NAME")" == null ]]; then
  log "Connecting $REGISTRY_NAME to the kind network"
  docker network connect kind "$REGISTRY_NAME"
fi

kubectl config use-context "kind-$KIND_CLUSTER" >/dev/null
kubectl apply -f - >/dev/null <<EOF
apiVersion: v1
kind: ConfigMap
metadata:
  name: local-registry-hosting
  namespace: kube-public
data:
  localRegistryHosting.v1: |
    host: "localhost:$REGISTRY_PORT"
    help: "https://kind.sigs.k8s.io/docs/user/local-registry/"
EOF
log "Ready: kubectl context kind-$KIND_CLUSTER, images pushed to localhost:$REGISTRY_PORT reach the cluster. Next: make deploy"
