# The cost experiment (docs/paravirt.md): board-only, it needs the LAPIC
# timer, the PV clock-event device and pvclock, which QEMU's virt does not have.
# CI runs the short configuration: 1,000 events per path, all six paths.
vtime_add_guest(timer_cost timer_cost/timer_cost.c timer_cost/timer_cost_paths.c
                timer_cost/timer_cost_traps.c timer_cost/timer_cost_entry.S
                BOARD_ONLY
                BOARD_ARGS --lapic-timer --pv-clockevent --pvclock -append "iterations=1000 path=all")
