/* Linear walk over the structure block; the blob is small, so no index. */
#include "runtime/fdt.h"

#include <stddef.h>

#define FDT_MAGIC 0xd00dfeedu
#define FDT_BEGIN_NODE 1u
#define FDT_END_NODE 2u
#define FDT_PROP 3u
#define FDT_NOP 4u
#define FDT_END 9u

static uint32_t be32(const void* p) {
  const uint8_t* b = p;
  return ((uint32_t)b[0] << 24) | ((uint32_t)b[1] << 16) | ((uint32_t)b[2] << 8) | b[3];
}

static size_t str_len(const char* s) {
  size_t n = 0;
  while (s[n]) n++;
  return n;
}

static int str_eq(const char* a, const char* b) {
  while (*a && *a == *b) {
    a++;
    b++;
  }
  return *a == *b;
}

uint64_t fdt_read_cells(const void* value, unsigned cells) {
  const uint8_t* p = value;
  uint64_t v = 0;
  for (unsigned i = 0; i < cells; i++) v = (v << 32) | be32(p + 4 * i);
  return v;
}

int fdt_valid(const void* fdt) { return fdt != NULL && be32(fdt) == FDT_MAGIC; }

/* Calls visit(depth, name, prop_name, value, len, ctx) for every node (prop_name
 * NULL) and every property; stops early when visit returns non-zero. */
typedef int (*visitor)(int depth, const char* node, const char* prop, const void* value,
                       uint32_t len, void* ctx);

static void walk(const void* fdt, visitor visit, void* ctx) {
  const uint8_t* base = fdt;
  const uint8_t* p = base + be32(base + 8);
  const char* strings = (const char*)(base + be32(base + 12));
  int depth = 0;
  const char* node = "";
  for (;;) {
    uint32_t token = be32(p);
    p += 4;
    if (token == FDT_BEGIN_NODE) {
      node = (const char*)p;
      depth++;
      p += (str_len(node) + 1 + 3) & ~(size_t)3;
      if (visit(depth, node, NULL, NULL, 0, ctx)) return;
    } else if (token == FDT_PROP) {
      uint32_t len = be32(p);
      const char* name = strings + be32(p + 4);
      if (visit(depth, node, name, p + 8, len, ctx)) return;
      p += 8 + ((len + 3) & ~3u);
    } else if (token == FDT_END_NODE) {
      depth--;
    } else if (token != FDT_NOP) {
      return; /* FDT_END or garbage */
    }
  }
}

typedef struct {
  const char* path;   /* remaining components to match */
  int matched;        /* depth of the deepest matched component (root = 1) */
  const char* prop;
  const void* value;
  uint32_t len;
} prop_search;

/* Compares the next component of a path with a node name; returns the rest. */
static const char* match_component(const char* path, const char* name) {
  while (*path == '/') path++;
  while (*name && *path == *name) {
    path++;
    name++;
  }
  if (*name == '\0' && (*path == '/' || *path == '\0')) return path;
  return NULL;
}

static int find_prop_visit(int depth, const char* node, const char* prop, const void* value,
                           uint32_t len, void* ctx) {
  prop_search* s = ctx;
  if (prop == NULL) {
    if (s->matched > 0 && depth <= s->matched) return 1; /* left the matched node */
    if (depth == 1) {
      s->matched = 1; /* root */
    } else if (depth == s->matched + 1 && *s->path != '\0') {
      const char* rest = match_component(s->path, node);
      if (rest != NULL) {
        s->path = rest;
        s->matched = depth;
      }
    }
    return 0;
  }
  while (*s->path == '/') s->path++;
  if (depth == s->matched && *s->path == '\0' && str_eq(prop, s->prop)) {
    s->value = value;
    s->len = len;
    return 1;
  }
  return 0;
}

const void* fdt_get_prop(const void* fdt, const char* path, const char* prop, uint32_t* len) {
  if (!fdt_valid(fdt)) return NULL;
  prop_search s = {path, 0, prop, NULL, 0};
  walk(fdt, find_prop_visit, &s);
  if (s.value != NULL && len != NULL) *len = s.len;
  return s.value;
}

typedef struct {
  int in_cpus;
  unsigned count;
} cpu_count;

static int count_cpus_visit(int depth, const char* node, const char* prop, const void* value,
                            uint32_t len, void* ctx) {
  (void)value;
  (void)len;
  cpu_count* c = ctx;
  if (prop != NULL) return 0;
  if (depth == 2) c->in_cpus = str_eq(node, "cpus");
  if (depth == 3 && c->in_cpus && node[0] == 'c' && node[1] == 'p' && node[2] == 'u' &&
      node[3] == '@') {
    c->count++;
  }
  return 0;
}

unsigned fdt_count_cpus(const void* fdt) {
  if (!fdt_valid(fdt)) return 0;
  cpu_count c = {0, 0};
  walk(fdt, count_cpus_visit, &c);
  return c.count;
}
