# PMP: TOR, NA4 and NAPOT entries, the L bit, priority, unmatched S/U accesses,
# page-table walks, the CLINT protected as OpenSBI does, and the hpm counters.
vtime_add_guest(pmp pmp/pmp.c runtime/strap.c runtime/strap_entry.S runtime/lower.S)
