# All harts race (no token passing) and print hashes of what they observed: the
# output depends on the interleaving, so it has no expected text. The
# determinism test (tests/tools/determinism) runs it many times per option set.
vtime_add_guest(race race/race.c HARTS 4 NO_EXPECTED)
