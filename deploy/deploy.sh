#!/usr/bin/env bash
# Deploys the platform to the cluster of the current kubectl context, or runs one step of it:
#
#   deploy/deploy.sh            every step below, in order
#   deploy/deploy.sh images     build the service images, tagged as the manifests name them
#   deploy/deploy.sh load       push them where the cluster pulls from (kind's local registry,
#                               minikube's registry addon, or your registry)
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
#   CLUSTER           kind | minikube | registry (default: from the context name; else registry).
#                     kind: push to the local registry of make kind-up (localhost:5001, as dist/
#                     names the images); minikube: push to its registry addon (localhost:5000,
#                     minikube addons enable registry); registry: docker push (docker login first)
#   LOAD              push (default): to the registry above; node: copy the images straight into
#                     the cluster's nodes (kind load docker-image, minikube image load), no registry
#                     at all, which works because pinned images are pulled IfNotPresent
#   TIMEOUT           how long to wait for Secrets and for each rollout (default 300s)
set -euo pipefail
# shellcheck source=deploy/lib.sh
source "$(dirname "${BASH_SOURCE[0]}")/lib.sh"

cd "$(dirname "${BASH_SOURCE[0]}")/.."

MANIFESTS="${MANIFESTS:-dist}"
TIMEOUT="${TIMEOUT:-300s}"
STEP="${1:-all}"

case "$STEP" in
  all | images | load | apply | wait) ;;
  -h | --help)
    usage
    exit 0
    ;;
  *) die "unknown step '$STEP'. Use one of: images, load, apply, wait (or none for all)." ;;
esac

need node "Install Node 20 and run npm ci at the repository root."
[[ -d node_modules ]] || die "node_modules is missing. Run npm ci at the repository root first."

# No registry: the images go into the nodes' container runtime, where IfNotPresent finds them.
load_into_nodes() {
  local kind="$1" app image
  for entry in "${IMAGES[@]}"; do
    read -r app image <<<"$entry"
    case "$kind" in
      kind)
        need kind "See https://kind.sigs.k8s.io/."
        log "Loading $image into the nodes of kind cluster ${KIND_CLUSTER:-billing}"
        kind load docker-image "$image" --name "${KIND_CLUSTER:-billing}"
        ;;
      minikube)
        need minikube "See https://minikube.sigs.k8s.io/."
        log "Loading $image into minikube's node"
        minikube image load "$image"
        ;;
      *) die "LOAD=node copies images into kind or minikube nodes only; push to a registry on '$kind' (LOAD=push)." ;;
    esac
  done
}

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

on_minikube() {
  [[ "${CLUSTER:-}" == minikube ]] && return 0
  [[ -z "${CLUSTER:-}" ]] && command -v kubectl >/dev/null 2>&1 &&
    [[ "$(kubectl config current-context 2>/dev/null || true)" == minikube* ]]
}

# minikube pulls from its registry addon, which its node sees as localhost:5000.
if [[ -z "${IMAGE_REGISTRY:-}" ]] && on_minikube; then
  IMAGE_REGISTRY=localhost:5000
fi

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

# build.sh picks a docker CLI that builds with BuildKit, as the Dockerfiles need, and passes
# this machine's CA bundle to npm in the build.
build_images() {
  need docker "Install Docker (or another engine with a docker-compatible CLI)."
  local app image targets=()
  for entry in "${IMAGES[@]}"; do
    read -r app image <<<"$entry"
    targets+=("$app=$image")
  done
  deploy/image/build.sh "${targets[@]}"
}

# The manifests pull every image with imagePullPolicy IfNotPresent (each is pinned), so an image
# already on the node is used; pushing to the registry dist/ names serves every node.
load_images() {
  local kind app image
  kind="$(cluster_kind)"
  if [[ "${LOAD:-push}" == node ]]; then
    load_into_nodes "$kind"
    return
  fi
  [[ "${LOAD:-push}" == push ]] || die "LOAD must be push or node, not '${LOAD}'."
  need docker "Install Docker to push the images."
  case "$kind" in
    kind | registry)
      for entry in "${IMAGES[@]}"; do
        read -r app image <<<"$entry"
        log "Pushing $image"
        docker push "$image" ||
          die "could not push $image. On kind, make kind-up creates the local registry on localhost:5001; elsewhere, docker login to the registry."
      done
      ;;
    minikube)
      need kubectl "See https://kubernetes.io/docs/tasks/tools/."
      # The registry addon serves localhost:5000 inside the node; from here it is reached
      # through a port-forward.
      log "Pushing to minikube's registry addon through kubectl port-forward on localhost:5000"
      kubectl --namespace kube-system port-forward service/registry 5000:80 >/dev/null 2>&1 &
      local forward=$!
      for entry in "${IMAGES[@]}"; do
        read -r app image <<<"$entry"
        [[ "$image" == localhost:5000/* ]] ||
          die "on minikube the images must be named localhost:5000/... (got $image): unset IMAGE_REGISTRY or set it to localhost:5000."
        log "Pushing $image"
        local pushed=false
        for _ in 1 2 3 4 5 6 7 8 9 10; do
          if docker push "$image"; then
            pushed=true
            break
          fi
          sleep 2
        done
        $pushed || {
          kill "$forward" 2>/dev/null || true
          die "could not push $image. Enable the registry: minikube addons enable registry"
        }
      done
      kill "$forward" 2>/dev/null || true
      ;;
    *) die "CLUSTER must be kind, minikube or registry, not '$kind'." ;;
  esac
}

apply_manifests() {
  need kubectl "See https://kubernetes.io/docs/tasks/tools/."
  local name
  name="$(context)"
  log "Applying $MANIFESTS to context '$name'"
  kubectl apply -f "$MANIFESTS"
}

# The bootstrap Job in the manifests creates every missing Secret with generated values from
# inside the cluster and never overwrites one; here we only wait until they all exist. Only
# "not found" is worth waiting for: a cluster that cannot be reached is said at once.
wait_for_secrets() {
  need kubectl "See https://kubernetes.io/docs/tasks/tools/."
  local seconds="${TIMEOUT%s}" namespace name missing error cluster
  local deadline=$((SECONDS + seconds)) report=$((SECONDS + 30))
  cluster="$(context)"
  mapfile -t secrets < <(manifest_facts secrets)
  log "Waiting for ${#secrets[@]} generated Secrets (created by the secret-bootstrap Job)"
  while :; do
    missing=()
    for entry in "${secrets[@]}"; do
      read -r namespace name <<<"$entry"
      if ! error="$(kubectl --namespace "$namespace" get secret "$name" -o name 2>&1 >/dev/null)"; then
        [[ "$error" == *NotFound* || "$error" == *"not found"* ]] ||
          die "cannot read Secrets from the cluster of context '$cluster': ${error%%$'\n'*}"
        missing+=("$namespace/$name")
      fi
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
    if ((SECONDS >= report)); then
      log "Still waiting for: ${missing[*]}"
      report=$((SECONDS + 30))
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
