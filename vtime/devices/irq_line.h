// IrqLine: one interrupt wire from a device to whatever receives it (an
// interrupt controller input, a hart's mip bit). The receiving side implements
// it. Besides the level, the receiver reports whether the last interrupt it was
// given is still waiting to be taken and acknowledged by the guest; a device
// that raises again while that is true knows the new edge merges into the old
// one (a coalesced, i.e. lost, tick). That per-line feedback is what QEMU only
// has through a global counter on x86.
#pragma once

namespace vtime {

enum class Delivery { kDelivered, kCoalesced };

class IrqLine {
 public:
  virtual ~IrqLine() = default;

  virtual void set_level(bool high) = 0;
  virtual bool level() const = 0;
  // True while the receiver holds an interrupt from this line that the guest has
  // not yet acknowledged (claimed at the PLIC, cleared at the device, taken by
  // the hart...).
  virtual bool awaiting_ack() const = 0;

  // Level high. kCoalesced when the previous interrupt was still awaiting
  // acknowledgement, so this one is not a new, separate delivery.
  Delivery raise() {
    const Delivery d = awaiting_ack() ? Delivery::kCoalesced : Delivery::kDelivered;
    set_level(true);
    return d;
  }
  void lower() { set_level(false); }
  // An edge: high then low. Same delivery report as raise().
  Delivery pulse() {
    const Delivery d = raise();
    set_level(false);
    return d;
  }
};

}  // namespace vtime
