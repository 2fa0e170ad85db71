#!/bin/sh
# make_initrd.sh INIT OUT: a newc cpio archive holding INIT as /init, the shape the
# kernel unpacks as its initramfs. Owner, mode and time are fixed so the archive
# depends only on INIT's bytes.
set -eu
init=$1 out=$2
dir=$(mktemp -d)
trap 'rm -rf "$dir"' EXIT
cp "$init" "$dir/init"
chmod 0755 "$dir/init"
touch -d @0 "$dir/init"
(cd "$dir" && echo init | cpio --quiet -o -H newc -R 0:0 --reproducible) >"$out.tmp"
mv "$out.tmp" "$out"
