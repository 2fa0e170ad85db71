#!/usr/bin/env bash
# Builds the small RISC-V Linux kernel that vtime's Linux tests boot, from Debian's
# linux-source-6.1 tarball with the Debian cross compiler: tinyconfig plus
# guests/linux/kernel.config. The result is cached outside the clone, keyed by the source
# package version and the fragment's hash, so a warm cache costs nothing; the cache can be
# deleted at any time. Prints the Image path on stdout (build progress goes to stderr).
#   build-linux.sh            build unless cached, then print the path
#   build-linux.sh --cached   print the path if cached; otherwise say so and exit 3
set -euo pipefail
cached_only=false
case ${1:-} in
  "") ;;
  --cached) cached_only=true ;;
  *) echo "build-linux: unknown argument '$1' (the only option is --cached)" >&2; exit 2 ;;
esac
root=$(cd "$(dirname "$0")/.." && pwd)
fragment=$root/guests/linux/kernel.config
tarball=/usr/src/linux-source-6.1.tar.xz

fail() { echo "build-linux: $*" >&2; exit 1; }
not_cached() { echo "build-linux: $*" >&2; exit 3; }

$cached_only && ! dpkg-query -W linux-source-6.1 >/dev/null 2>&1 &&
  not_cached "linux-source-6.1 is not installed, so no kernel is cached (scripts/install-deps.sh)."
[[ -r $tarball ]] || fail "$tarball is missing; install linux-source-6.1 (scripts/install-deps.sh)."
command -v riscv64-linux-gnu-gcc >/dev/null ||
  fail "riscv64-linux-gnu-gcc is missing; install gcc-riscv64-linux-gnu (scripts/install-deps.sh)."
version=$(dpkg-query -W -f='${Version}' linux-source-6.1)
fragment_hash=$(sha256sum "$fragment" | cut -c1-12)
out=${VTIME_CACHE:-$HOME/.cache/vtime}/linux-$version-$fragment_hash
image=$out/Image

if [[ -f $image ]]; then
  echo "$image"
  exit 0
fi
$cached_only && not_cached "no kernel cached at $image; build it with scripts/build-linux.sh."

mkdir -p "$out"
src=$out/src
# The marker is written only after tar succeeds, so an interrupted unpack starts over.
if [[ ! -f $out/.unpacked ]]; then
  echo "build-linux: unpacking $tarball into $src" >&2
  rm -rf "$src"
  mkdir -p "$src"
  tar -xf "$tarball" -C "$src" --strip-components=1
  touch "$out/.unpacked"
fi

# Fixed build stamps: the same source and fragment give the same Image on any machine,
# so the version banner in boot logs does not depend on who built it or when.
export KBUILD_BUILD_TIMESTAMP="Thu Jan  1 00:00:00 UTC 1970" KBUILD_BUILD_VERSION=1
export KBUILD_BUILD_USER=vtime KBUILD_BUILD_HOST=vtime
kmake() { nice -n 10 make -C "$src" ARCH=riscv CROSS_COMPILE=riscv64-linux-gnu- "$@"; }
log=$out/build.log
: >"$log"

echo "build-linux: configuring (tinyconfig + $(basename "$fragment"))" >&2
kmake tinyconfig >>"$log" 2>&1 || fail "make tinyconfig failed; see $log."
options=()
while IFS= read -r line; do
  [[ $line =~ ^CONFIG_([A-Za-z0-9_]+)=(.+)$ ]] || continue
  options+=("${BASH_REMATCH[1]}=${BASH_REMATCH[2]}")
  "$src/scripts/config" --file "$src/.config" --set-val "${BASH_REMATCH[1]}" "${BASH_REMATCH[2]}"
done < <(grep -v '^[[:space:]]*#' "$fragment")
((${#options[@]})) || fail "$fragment sets no CONFIG_ option."
kmake olddefconfig >>"$log" 2>&1 || fail "make olddefconfig failed; see $log."

# olddefconfig silently drops an option whose dependencies are not met: refuse that.
dropped=()
for option in "${options[@]}"; do
  grep -qx "CONFIG_$option" "$src/.config" || dropped+=("CONFIG_$option")
done
((${#dropped[@]} == 0)) ||
  fail "olddefconfig dropped ${dropped[*]} (unmet dependencies); fix $fragment."

echo "build-linux: building Image with $(riscv64-linux-gnu-gcc -dumpfullversion) (log: $log)" >&2
start=$SECONDS
kmake -j2 Image >>"$log" 2>&1 || { tail -n 30 "$log" >&2; fail "the kernel build failed; see $log."; }
cp "$src/arch/riscv/boot/Image" "$image.tmp"
mv "$image.tmp" "$image"
echo "build-linux: built in $((SECONDS - start)) s" >&2
echo "$image"
