/* Read-only flattened device tree (DTB v17) lookups for guests: enough to
 * count harts and read a property by path (e.g. a device's `reg`, the timebase).
 * Leaves out: aliases, phandles, writing. All values in the blob are big-endian. */
#ifndef GUESTS_RUNTIME_FDT_H
#define GUESTS_RUNTIME_FDT_H

#include <stdint.h>

/* 1 if `fdt` points at a blob with the FDT magic. */
int fdt_valid(const void* fdt);
/* Property `prop` of the node at `path` ("/cpus", "/soc/serial@10000000"; each
 * component matches the full node name). NULL if absent; *len gets its size. */
const void* fdt_get_prop(const void* fdt, const char* path, const char* prop, uint32_t* len);
/* Number of children of /cpus named cpu@N (0 if the blob is unusable). */
unsigned fdt_count_cpus(const void* fdt);
/* One big-endian value of `cells` 32-bit cells (1 or 2). */
uint64_t fdt_read_cells(const void* value, unsigned cells);

#endif
