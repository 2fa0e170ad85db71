# Sv39/Sv48 paging from S and U mode; uses the S-mode runtime files.
vtime_add_guest(paging paging/paging.c paging/paging_lower.S runtime/strap.c runtime/strap_entry.S
                runtime/lower.S)
