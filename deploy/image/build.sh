#!/usr/bin/env bash
# Builds the service images (apps/<app>/Dockerfile, from the repository root) with whichever
# docker CLI can: one with buildx, or a classic one (before 23, e.g. Debian's docker.io) with
# its built-in BuildKit. A newer CLI without buildx cannot build with BuildKit and is passed over.
#
#   deploy/image/build.sh                      every image the manifests in $MANIFESTS (dist) name, so tagged
#   deploy/image/build.sh <app>=<image> ...    those apps, tagged so
#
# Settings: DOCKER (the CLI to try first), MANIFESTS (default dist), DOCKER_BUILD_FLAGS (more
# flags for each build, e.g. "--network host --build-arg NODE_IMAGE=mirror.example/node:..."),
# NODE_EXTRA_CA_CERTS (a PEM file npm must trust in the build, passed as the npm-ca secret).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

die() {
  printf 'build.sh: %s\n' "$*" >&2
  exit 1
}

can_build() {
  "$1" buildx version >/dev/null 2>&1 && return 0
  local version
  version="$("$1" version --format '{{.Client.Version}}' 2>/dev/null)" || return 1
  [[ "${version%%.*}" =~ ^[0-9]+$ && "${version%%.*}" -lt 23 ]]
}

cli=""
for candidate in ${DOCKER:+"$DOCKER"} docker /usr/bin/docker; do
  if command -v "$candidate" >/dev/null 2>&1 && can_build "$candidate"; then
    cli="$candidate"
    break
  fi
done
[[ -n "$cli" ]] || die "no docker CLI here can build with BuildKit: install the buildx plugin (docker-buildx-plugin) or Debian's docker.io."

targets=("$@")
if [[ ${#targets[@]} -eq 0 ]]; then
  manifests="${MANIFESTS:-dist}"
  [[ -d "$manifests" ]] || die "$manifests does not exist: run npm run synth first."
  while read -r app image; do targets+=("$app=$image"); done < <(node deploy/manifests.mjs "$manifests" images)
  [[ ${#targets[@]} -gt 0 ]] || die "$manifests runs none of our images (apps/*/Dockerfile)."
fi

# shellcheck disable=SC2206 # extra flags are words by design
extra=(${DOCKER_BUILD_FLAGS:-})
# The CA bundle Node trusts here (a TLS-inspecting proxy's, say) is the one npm needs in the build.
if [[ -n "${NODE_EXTRA_CA_CERTS:-}" && -f "$NODE_EXTRA_CA_CERTS" ]]; then
  extra+=(--secret "id=npm-ca,src=$NODE_EXTRA_CA_CERTS")
fi
for target in "${targets[@]}"; do
  app="${target%%=*}"
  image="${target#*=}"
  [[ -f "apps/$app/Dockerfile" && "$image" != "$target" ]] || die "'$target' is not <app>=<image> for an apps/<app>/Dockerfile."
  printf 'build.sh: building %s from apps/%s/Dockerfile with %s\n' "$image" "$app" "$cli" >&2
  DOCKER_BUILDKIT=1 "$cli" build "${extra[@]}" --file "apps/$app/Dockerfile" --tag "$image" .
done
