#!/usr/bin/env bash
# Writes the structured seeds of the fuzz targets into fuzz/corpus/<target>/:
# the project's guest programs as -bios images, ELF and raw loader inputs and
# hart code; valid clock state blobs; option texts. Guests come from a release
# build (build/release/guests, built if missing); with --uboot, Debian's U-Boot
# is added to the board and loader seeds (650 KB: for local campaigns, not
# checked in). The corpora also hold inputs the campaigns found (merged with
# -merge=1); this script only adds or refreshes its own seed-* files.
# FuzzedDataProvider reads integers from the END of an input and byte strings
# from the front, so each seed is laid out as: bytes... | integers (last first).
set -euo pipefail
cd "$(dirname "$0")/.."
corpus=fuzz/corpus
guests=build/release/guests
uboot=no
[[ ${1:-} == --uboot ]] && uboot=yes
mkdir -p "$corpus"/{board,loader,hart,clock_state,options,device}

if ! ls "$guests"/*.bin >/dev/null 2>&1; then
  cmake --preset release >/dev/null
  cmake --build --preset release --target guest_timer guest_wfi guest_uart guest_time_csr guest_traps guest_timer_cost
fi

for bin in "$guests"/{timer,wfi,uart,time_csr,traps,timer_cost,clock_demo}.bin; do
  [[ -f $bin ]] || continue
  name=$(basename "$bin" .bin)
  cp "$bin" "$corpus/board/seed-$name.bin"
  # loader, one raw image at the base: image | u32 raw base 0 | pair=no
  { cat "$bin"; printf '\0\0\0\0\0'; } >"$corpus/loader/seed-raw-$name"
  # hart: 16 device bytes | code | 8 x (u16 pending, u16 budget) read from the end
  { printf 'fuzz-device-data'; cat "$bin"; for _ in 1 2 3 4 5 6 7 8; do printf '\x00\x00\xff\x0f'; done; } \
    >"$corpus/hart/seed-$name"
done
for elf in "$guests"/clock_demo.stripped.elf; do
  [[ -f $elf ]] || continue
  { cat "$elf"; printf '\0\0\0\0\0'; } >"$corpus/loader/seed-elf-$(basename "$elf" .elf)"
done
if [[ $uboot == yes && -f /usr/lib/u-boot/qemu-riscv64/u-boot.bin ]]; then
  cp /usr/lib/u-boot/qemu-riscv64/u-boot.bin "$corpus/board/uboot.bin"
  { cat /usr/lib/u-boot/qemu-riscv64/uboot.elf; printf '\0\0\0\0\0'; } >"$corpus/loader/uboot.elf"
fi

# clock_state: a version-1 blob (see vtime/clock/clock_state.cc) | u56 host run | mode.
# The CRC-32 is gzip's trailer (the same IEEE checksum).
le() { local v=$1 n=$2 i; for ((i = 0; i < n; ++i)); do printf "\\x$(printf %02x $(((v >> (8 * i)) & 255)))"; done; }
blob() {  # VIRTUAL ns, VIRTUAL_RT ns, TSC Hz, run state, enable bits
  local body crc
  body=$({ printf 'VTCK'; le 1 4; le 40 4; le "$1" 8; le "$2" 8; le $(($1 * $3 / 1000000000)) 8; le "$3" 8
           le "$4" 1; le "$5" 1; le 0 6; } | od -An -v -tx1 | tr -d ' \n')
  crc=$(printf "$(sed 's/../\\x&/g' <<<"$body")" | gzip -c | tail -c8 | head -c4 | od -An -v -tx1 | tr -d ' \n')
  printf "$(sed 's/../\\x&/g' <<<"$body$crc")"
}
{ blob 0 0 1000000000 0 15; le 0 7; printf '\0'; } >"$corpus/clock_state/seed-zero"
{ blob 123456789 120000000 1000000000 1 15; le 5000 7; printf '\0'; } >"$corpus/clock_state/seed-running"
{ blob 5000000 5000000 10000000 0 5; le 1 7; printf '\x01'; } >"$corpus/clock_state/seed-10mhz"

# options: text | selector (0 icount, 1 -m, 2 --time-limit, 3 argument vector, NUL-separated)
opt() { printf '%s' "$2" >"$corpus/options/seed-$1"; printf "\\x$3" >>"$corpus/options/seed-$1"; }
opt icount-fixed 'shift=0,sleep=off' 00
opt icount-auto 'shift=auto,align=on,align-threshold=3ms,auto=pi' 00
opt icount-quantum '4,sleep=on,quantum=500us' 00
opt memory-1g '1G' 01
opt memory-plain '128' 01
opt time-ms '1500ms' 02
opt time-float '0.5e-3' 02
printf -- '-smp\0002\000-m\000256M\000--icount\000shift=3,sleep=off\000--time-limit\00010ms\000--hpet\000driftfix=slew\000--lapic-timer\000guest.elf\003' \
  >"$corpus/options/seed-argv"
echo "fuzz seeds written to $corpus"
