// Guest memory in a snapshot: every RAM and ROM region of the address map,
// page by page, with only the pages that hold a non-zero byte written (an
// untouched page reads as zero, so a 128 MiB guest that used 8 MiB saves about
// 8 MiB). Loading checks that the regions are the ones this map has, then
// zeroes each region and writes the saved pages.
#pragma once

#include "vtime/machine/address_map.h"
#include "vtime/state/state_stream.h"

namespace vtime {

inline constexpr uint64_t kSnapshotPage = 4096;

void save_memory(const AddressMap& map, StateWriter& out);
// Changes nothing unless the whole section read cleanly.
void load_memory(AddressMap& map, StateReader& in);
// The bytes a memory section of `map` can reach at most, uncompressed.
uint64_t memory_section_limit(const AddressMap& map);

}  // namespace vtime
