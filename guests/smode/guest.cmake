# S mode without paging: delegation, sstatus/sie/sip views, SRET, counter
# enables, Sstc. The S-mode runtime files are listed here (not in every guest).
vtime_add_guest(smode smode/smode.c smode/smode_lower.S runtime/strap.c runtime/strap_entry.S
                runtime/lower.S)
