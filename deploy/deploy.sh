#!/usr/bin/env bash
# Deploys the platform to the cluster of the current kubectl context, or runs one step of it:
#
#   deploy/deploy.sh            every step below, in order
#   deploy/deploy.sh images     build the service images, tagged as the manifests name them
#   deploy/deploy.sh load       put them where the cluster pulls from: kind, minikube or a registry
#   deploy/deploy.sh apply      kubectl apply -f the manifests
#   deploy/deploy.sh wait       wait for the generated Secrets and for every rollout
#
# Every step can run again at any time: builds come from the Docker cache, `kubectl apply` of
# unchanged manifests changes nothing, Secrets that exist are kept.
#
# Settings (environment):
#   MANIFESTS         folder to deploy (default dist, the dev environment of `npm run synth`)
#   IMAGE_REGISTRY    build, push and deploy images under this registry instead (re-synthesizes)
#   IMAGE_TAG         ... and with this tag (default: the version in package.json)
#   CLUSTER           kind | minikube | registry (default: from the context name; else registry)
#   KIND_CLUSTER      kind cluster name (default: the context name without "kind-")
#   MINIKUBE_PROFILE  minikube profile (default: the context name)
#   TIMEOUT           how long to wait for Secrets and for each rollout (default 300s)
set -euo pipefail

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MANIFESTS="${MANIFESTS:-dist}"
TIMEOUT="${TIMEOUT:-300s}"
STEP="${1:-all}"

log() { printf '==> %s\n' "$*"; }
die() {
  printf 'deploy.sh: %s\n' "$*" >&2
  exit 1
}
need() { command -v "$1" >/dev/null 2>&1 || die "$1 is not installed. $2"; }

case "$STEP" in
  all | images | load | apply | wait) ;;
  -h | --help)
    sed -n '2,/^set -euo/p' "$0" | sed -e '$d' -e 's/^# \{0,1\}//'
    exit 0
    ;;
  *) die "unknown step '$STEP'. Use one of: images, load, apply, wait (or none for all)." ;;
esac

need node "Install Node 20 and run npm ci at the repository root."
[[ -d node_modules ]] || die "node_modules is missing. Run npm ci at the repository root first."

# Another registry or tag means other image names in the manifests: synthesize them aside,
# leaving the committed dist/ as it is.
if [[ -n "${IMAGE_REGISTRY:-}" || -n "${IMAGE_TAG:-}" ]]; then
  MANIFESTS=.tmp/deploy/dist
  log "Synthesizing the dev manifests for registry '${IMAGE_REGISTRY:-default}', tag '${IMAGE_TAG:-package.json version}' into $MANIFESTS"
  synth_args=(--env dev --outdir "$MANIFESTS")
  [[ -n "${IMAGE_REGISTRY:-}" ]] && synth_args+=(--registry "$IMAGE_REGISTRY")
  [[ -n "${IMAGE_TAG:-}" ]] && synth_args+=(--tag "$IMAGE_TAG")
  npm run --silent synth -- "${synth_args[@]}"
fi
[[ -d "$MANIFESTS" ]] || die "$MANIFESTS does not exist. Run npm run synth first."

# What to build and wait for comes from the manifests themselves.
manifest_facts() { node deploy/manifests.mjs "$MANIFESTS" "$@"; }
mapfile -t IMAGES < <(manifest_facts images)
[[ ${#IMAGES[@]} -gt 0 ]] || die "$MANIFESTS runs none of our images (apps/*/Dockerfile)."

context() {
  kubectl config current-context 2>/dev/null ||
    die "kubectl has no current context. Create a cluster first: make kind-up (or minikube start --cni=calico)."
}

cluster_kind() {
  if [[ -n "${CLUSTER:-}" ]]; then
    printf '%s\n' "$CLUSTER"
    return
  fi
  local name
  name="$(context)"
  case "$name" in
    kind-*) echo kind ;;
    minikube*) echo minikube ;;
    *) echo registry ;;
  esac
}

build_images() {
  need docker "Install Docker (or another engine with a docker-compatible CLI)."
  local app image
  for entry in "${IMAGES[@]}"; do
    read -r app image <<<"$entry"
    log "Building $image from apps/$app/Dockerfile"
    docker build --file "apps/$app/Dockerfile" --tag "$image" .
  done
}

load_images() {
  need kubectl "See https://kubernetes.io/docs/tasks/tools/."
  local kind app image
  kind="$(cluster_kind)"
  for entry in "${IMAGES[@]}"; do
    read -r app image <<<"$entry"
    case "$kind" in
      kind)
        need kind "Install kind, or set CLUSTER=registry to push instead."
        local cluster
        cluster="${KIND_CLUSTER:-$(context)}"
        cluster="${cluster#kind-}"
        log "Loading $image into kind cluster '$cluster'"
        kind load docker-image "$image" --name "$cluster"
        ;;
      minikube)
        need minikube "Install minikube, or set CLUSTER=registry to push instead."
        local profile
        profile="${MINIKUBE_PROFILE:-$(context)}"
        log "Loading $image into minikube profile '$profile'"
        minikube --profile "$profile" image load "$image"
        ;;
      registry)
        need docker "Install Docker to push the images."
        log "Pushing $image (the cluster pulls it from its registry)"
        docker push "$image"
        ;;
      *) die "CLUSTER must be kind, minikube or registry, not '$kind'." ;;
    esac
  done
}

apply_manifests() {
  need kubectl "See https://kubernetes.io/docs/tasks/tools/."
  local name
  name="$(context)"
  log "Applying $MANIFESTS to context '$name'"
  kubectl apply -f "$MANIFESTS"
}

# The bootstrap Job in the manifests creates every missing Secret with generated values from
# inside the cluster and never overwrites one; here we only wait until they all exist.
wait_for_secrets() {
  local seconds="${TIMEOUT%s}" namespace name missing
  local deadline=$((SECONDS + seconds))
  mapfile -t secrets < <(manifest_facts secrets)
  log "Waiting for ${#secrets[@]} generated Secrets (created by the secret-bootstrap Job)"
  while :; do
    missing=()
    for entry in "${secrets[@]}"; do
      read -r namespace name <<<"$entry"
      kubectl --namespace "$namespace" get secret "$name" >/dev/null 2>&1 || missing+=("$namespace/$name")
    done
    [[ ${#missing[@]} -eq 0 ]] && break
    if ((SECONDS >= deadline)); then
      printf 'deploy.sh: still missing after %s: %s\n' "$TIMEOUT" "${missing[*]}" >&2
      while read -r namespace name; do
        printf -- '--- logs of job %s/%s:\n' "$namespace" "$name" >&2
        kubectl --namespace "$namespace" logs "job/$name" --tail=50 >&2 || true
      done < <(manifest_facts jobs)
      die "the secret-bootstrap Job did not create every Secret. Its logs are above."
    fi
    sleep 3
  done
}

wait_for_rollouts() {
  local namespace workload
  while read -r namespace workload; do
    log "Waiting for $namespace/$workload"
    kubectl --namespace "$namespace" rollout status "$workload" --timeout="$TIMEOUT"
  done < <(manifest_facts rollouts)
}

case "$STEP" in
  images) build_images ;;
  load) load_images ;;
  apply) apply_manifests ;;
  wait)
    wait_for_secrets
    wait_for_rollouts
    ;;
  all)
    build_images
    load_images
    apply_manifests
    wait_for_secrets
    wait_for_rollouts
    log "Deployed. Run the reviewers' procedure with: make test-cluster"
    ;;
esac
