#!/usr/bin/env bash
# Installs what vtime needs to build, test and run on Debian 12, as root.
# Skips apt entirely when everything is already there (CI machines are often warm).
set -euo pipefail

packages=(
  cmake ninja-build g++ pkg-config
  libgtest-dev libgmock-dev libbenchmark-dev
  libfmt-dev libcli11-dev nlohmann-json3-dev libfdt-dev libelf-dev libzstd-dev
  gcc-riscv64-unknown-elf binutils-riscv64-unknown-elf
  u-boot-qemu opensbi qemu-system-misc python3
  # The Linux guest (scripts/build-linux.sh) and its static probe in a cpio initrd.
  linux-source-6.1 gcc-riscv64-linux-gnu libc6-dev-riscv64-cross
  bc flex bison cpio libssl-dev
  clang-14 libclang-rt-14-dev  # the fuzz preset: libFuzzer with ASan and UBSan
)

missing=()
for p in "${packages[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q 'install ok installed' || missing+=("$p")
done
if ((${#missing[@]})); then
  echo "install-deps: installing ${missing[*]}"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq --no-install-recommends "${missing[@]}"
fi
