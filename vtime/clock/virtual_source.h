// Where VIRTUAL comes from while the VM runs. Without a source installed VIRTUAL
// is host running time (equal to VIRTUAL_RT); vtime/icount installs the
// instruction counter. VmClocks keeps VIRTUAL monotonic whatever the source does.
#pragma once

#include "vtime/time/instant.h"

namespace vtime {

class VirtualTimeSource {
 public:
  virtual ~VirtualTimeSource() = default;
  // The current VIRTUAL time. Called while the VM runs and when it stops (to
  // freeze the value); must be cheap and must not call back into VmClocks.
  virtual GuestTime virtual_now() = 0;
};

}  // namespace vtime
