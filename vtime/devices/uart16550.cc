#include "vtime/devices/uart16550.h"

#include <algorithm>

namespace vtime {

using namespace uart_reg;

Uart16550::Uart16550(GuestLog& log, ConsoleBackend& console) : log_(log), console_(console) {}

void Uart16550::connect(IrqLine& irq) {
  irq_ = &irq;
  irq_->set_level(irq_level_);
}

uint64_t Uart16550::read(uint64_t offset, unsigned /*size*/) {
  uint8_t value = 0;
  switch (offset) {
    case kRbr: value = dlab() ? dll_ : read_rbr(); break;
    case kIer: value = dlab() ? dlm_ : ier_; break;
    case kIir: value = read_iir(); break;
    case kLcr: value = lcr_; break;
    case kMcr: value = mcr_; break;
    case kLsr: value = read_lsr(); break;
    case kMsr: value = read_msr(); break;
    case kScr: value = scr_; break;
    default:
      log_.guest_error("uart16550: read from reserved offset {:#x}", offset);
      return 0;
  }
  update_irq();
  return value;
}

void Uart16550::write(uint64_t offset, unsigned /*size*/, uint64_t value) {
  const auto byte = static_cast<uint8_t>(value);
  switch (offset) {
    case kThr:
      if (dlab()) dll_ = byte; else write_thr(byte);
      break;
    case kIer:
      if (dlab()) dlm_ = byte; else write_ier(byte);
      break;
    case kFcr: write_fcr(byte); break;
    case kLcr: lcr_ = byte; break;
    case kMcr: mcr_ = byte & kMcrMask; break;
    case kLsr:
    case kMsr:
      log_.guest_error("uart16550: write {:#x} to read-only register at offset {:#x}", byte, offset);
      return;
    case kScr: scr_ = byte; break;
    default:
      log_.guest_error("uart16550: write {:#x} to reserved offset {:#x}", value, offset);
      return;
  }
  update_irq();
}

size_t Uart16550::poll_input() {
  if (loopback()) return 0;  // the receiver listens to the transmitter only
  size_t taken = 0;
  rx_idle_ = false;
  // A break the user sent arrives as a 0 character with BI (PC16550D: one
  // character of zeros goes into the FIFO per break).
  if (rx_.size() < rx_capacity() && console_.take_break()) {
    rx_.push_back({0, true});
    ++taken;
  }
  while (rx_.size() < rx_capacity()) {
    const auto byte = console_.poll_input();
    if (!byte) {
      rx_idle_ = true;
      break;
    }
    rx_.push_back({*byte});
    ++taken;
  }
  update_irq();
  return taken;
}

uint8_t Uart16550::read_rbr() {
  if (rx_.empty()) return 0;
  const uint8_t byte = rx_.front().byte;
  rx_.pop_front();
  return byte;
}

uint8_t Uart16550::read_iir() {
  const uint8_t id = pending_interrupt();
  if (id == kIirThre) thre_pending_ = false;  // reading IIR acknowledges THRE
  return static_cast<uint8_t>(id | (fifo_enabled() ? kIirFifosEnabled : 0));
}

uint8_t Uart16550::read_lsr() {
  uint8_t lsr = kLsrThre | kLsrTemt;  // transmission is instantaneous
  if (!rx_.empty()) lsr |= kLsrDr;
  if (overrun_) lsr |= kLsrOe;
  if (break_at_head()) lsr |= kLsrBi;
  if (fifo_enabled() && std::any_of(rx_.begin(), rx_.end(), [](const RxChar& c) { return c.brk; })) {
    lsr |= kLsrFifoErr;
  }
  overrun_ = false;  // reading LSR clears the error bits
  if (break_at_head()) rx_.front().brk = false;  // BI is reported once; the 0 byte stays
  return lsr;
}

uint8_t Uart16550::read_msr() const {
  if (!loopback()) return kMsrDcd | kMsrDsr | kMsrCts;  // a console is always ready
  // Loopback wires DTR->DSR, RTS->CTS, OUT1->RI, OUT2->DCD (PC16550D §8.6).
  uint8_t msr = 0;
  if ((mcr_ & 0x01) != 0) msr |= kMsrDsr;
  if ((mcr_ & 0x02) != 0) msr |= kMsrCts;
  if ((mcr_ & 0x04) != 0) msr |= kMsrRi;
  if ((mcr_ & 0x08) != 0) msr |= kMsrDcd;
  return msr;
}

void Uart16550::write_thr(uint8_t byte) {
  if (loopback()) {
    receive(byte);
  } else {
    console_.write(byte);
  }
  // The byte left at once, so THR is empty again: the THRE interrupt the write
  // cleared is immediately due again.
  thre_pending_ = (ier_ & kIerEtbei) != 0;
}

void Uart16550::write_ier(uint8_t value) {
  const bool was_enabled = (ier_ & kIerEtbei) != 0;
  ier_ = value & 0x0f;
  const bool enabled = (ier_ & kIerEtbei) != 0;
  // Enabling ETBEI while THR is empty (always, here) raises THRE at once.
  if (enabled && !was_enabled) thre_pending_ = true;
  if (!enabled) thre_pending_ = false;
}

void Uart16550::write_fcr(uint8_t value) {
  const bool enable_changed = ((value ^ fcr_) & kFcrEnable) != 0;
  // Toggling FIFO mode resets both FIFOs (PC16550D §8.7).
  if (enable_changed || (value & kFcrClearRx) != 0) rx_.clear();
  fcr_ = value & 0xc9;  // enable, DMA mode, trigger level; the clear bits self-reset
  if (fcr_ & kFcrEnable) return;
  fcr_ = 0;  // with FIFOs off the other bits have no meaning
}

void Uart16550::receive(uint8_t byte) {
  if (rx_.size() >= rx_capacity()) {
    overrun_ = true;  // the new character is lost
    return;
  }
  rx_.push_back({byte});
}

size_t Uart16550::rx_trigger() const {
  if (!fifo_enabled()) return 1;
  static constexpr size_t kLevels[4] = {1, 4, 8, 14};
  return kLevels[fcr_ >> 6];
}

uint8_t Uart16550::pending_interrupt() const {
  // Priority order of PC16550D table IV.
  if ((ier_ & kIerElsi) != 0 && (overrun_ || break_at_head())) return kIirLineStatus;
  if ((ier_ & kIerErbfi) != 0 && !rx_.empty()) {
    if (rx_.size() >= rx_trigger()) return kIirRxData;
    if (rx_idle_ || loopback()) return kIirRxTimeout;
  }
  if ((ier_ & kIerEtbei) != 0 && thre_pending_) return kIirThre;
  return kIirNoInterrupt;
}

void Uart16550::update_irq() {
  const bool level = pending_interrupt() != kIirNoInterrupt;
  if (level == irq_level_) return;
  irq_level_ = level;
  if (irq_ != nullptr) irq_->set_level(level);
}


void Uart16550::save(StateWriter& out) const {
  for (uint8_t r : {ier_, fcr_, lcr_, mcr_, scr_, dll_, dlm_}) out.u8(r);
  for (bool b : {overrun_, thre_pending_, rx_idle_, irq_level_}) out.boolean(b);
  out.u64(rx_.size());
  for (const RxChar& c : rx_) {
    out.u8(c.byte);
    out.boolean(c.brk);
  }
}

void Uart16550::load(StateReader& in) {
  uint8_t regs[7];
  for (uint8_t& r : regs) r = in.u8();
  bool flags[4];
  for (bool& b : flags) b = in.boolean();
  std::deque<RxChar> rx;
  const uint64_t n = in.count(uart_reg::kFifoDepth, 2);
  for (uint64_t i = 0; i < n; ++i) rx.push_back({.byte = in.u8(), .brk = in.boolean()});
  if (!in.ok()) return;
  ier_ = regs[0];
  fcr_ = regs[1];
  lcr_ = regs[2];
  mcr_ = regs[3];
  scr_ = regs[4];
  dll_ = regs[5];
  dlm_ = regs[6];
  overrun_ = flags[0];
  thre_pending_ = flags[1];
  rx_idle_ = flags[2];
  irq_level_ = flags[3];
  rx_ = std::move(rx);
}

}  // namespace vtime
