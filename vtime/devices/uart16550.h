// NS16550A UART (National Semiconductor PC16550D datasheet), as on QEMU's
// `virt` board: eight byte registers (reg-shift 0) in a 0x100-byte window,
// 16-byte FIFOs, interrupts on one IrqLine. Transmission is instantaneous: a
// byte written to THR goes straight to the console backend and THR is empty
// again at once, so the divisor latch is stored but sets no pace. Input is
// pulled from the backend by poll_input(), called by the run loop, only while
// the receive FIFO has room (the console is flow-controlled, never overruns).
// Leaves out: modem-status interrupts (the modem lines never change except in
// loopback), parity and framing errors (a console cannot produce them), and
// the 4-character receive timeout's timing (see rx_timeout below).
#pragma once

#include <cstdint>
#include <deque>

#include "vtime/state/state_stream.h"
#include "vtime/devices/console_backend.h"
#include "vtime/devices/guest_log.h"
#include "vtime/devices/irq_line.h"
#include "vtime/devices/mmio_device.h"

namespace vtime {

// Register offsets (PC16550D §8.4, table II). DLAB is LCR bit 7.
namespace uart_reg {
inline constexpr uint64_t kRbr = 0;  // read, DLAB=0: receiver buffer
inline constexpr uint64_t kThr = 0;  // write, DLAB=0: transmitter holding
inline constexpr uint64_t kDll = 0;  // DLAB=1: divisor latch, low byte
inline constexpr uint64_t kIer = 1;  // DLAB=0: interrupt enable
inline constexpr uint64_t kDlm = 1;  // DLAB=1: divisor latch, high byte
inline constexpr uint64_t kIir = 2;  // read: interrupt identification
inline constexpr uint64_t kFcr = 2;  // write: FIFO control
inline constexpr uint64_t kLcr = 3;
inline constexpr uint64_t kMcr = 4;
inline constexpr uint64_t kLsr = 5;
inline constexpr uint64_t kMsr = 6;
inline constexpr uint64_t kScr = 7;
inline constexpr uint64_t kSize = 0x100;  // window on `virt`; offsets 8.. are reserved

inline constexpr uint8_t kIerErbfi = 0x01;  // received data available
inline constexpr uint8_t kIerEtbei = 0x02;  // THR empty
inline constexpr uint8_t kIerElsi = 0x04;   // receiver line status
inline constexpr uint8_t kIerEdssi = 0x08;  // modem status (never pending here)

inline constexpr uint8_t kIirNoInterrupt = 0x01;
inline constexpr uint8_t kIirLineStatus = 0x06;
inline constexpr uint8_t kIirRxData = 0x04;
inline constexpr uint8_t kIirRxTimeout = 0x0c;
inline constexpr uint8_t kIirThre = 0x02;
inline constexpr uint8_t kIirFifosEnabled = 0xc0;

inline constexpr uint8_t kFcrEnable = 0x01;
inline constexpr uint8_t kFcrClearRx = 0x02;
inline constexpr uint8_t kFcrClearTx = 0x04;

inline constexpr uint8_t kLcrDlab = 0x80;
inline constexpr uint8_t kMcrLoop = 0x10;
inline constexpr uint8_t kMcrMask = 0x1f;

inline constexpr uint8_t kLsrDr = 0x01;
inline constexpr uint8_t kLsrOe = 0x02;
inline constexpr uint8_t kLsrBi = 0x10;       // break interrupt: the head character is a break
inline constexpr uint8_t kLsrFifoErr = 0x80;  // FIFO mode: a break is somewhere in the FIFO
inline constexpr uint8_t kLsrThre = 0x20;
inline constexpr uint8_t kLsrTemt = 0x40;

inline constexpr uint8_t kMsrCts = 0x10;
inline constexpr uint8_t kMsrDsr = 0x20;
inline constexpr uint8_t kMsrRi = 0x40;
inline constexpr uint8_t kMsrDcd = 0x80;

inline constexpr size_t kFifoDepth = 16;
}  // namespace uart_reg
static_assert(uart_reg::kScr < uart_reg::kSize);

class Uart16550 final : public MmioDevice {
 public:
  // `irq` is the UART's interrupt output (PLIC source 10 on `virt`).
  Uart16550(GuestLog& log, ConsoleBackend& console);
  // The interrupt output; driven with the current level at once.
  void connect(IrqLine& irq);

  std::string_view name() const override { return "uart16550"; }
  uint64_t size() const override { return uart_reg::kSize; }
  // Byte registers; wider accesses reach the register at the offset and use
  // its low byte (reads zero-extend).
  AccessSizes sizes() const override { return {.min = 1, .max = 4}; }
  uint64_t read(uint64_t offset, unsigned size) override;
  void write(uint64_t offset, unsigned size, uint64_t value) override;

  // Moves available console input into the receive FIFO while it has room and
  // updates the interrupt. Returns how many bytes were taken. Call it from the
  // run loop's host-event step; it never blocks.
  size_t poll_input();

  // Bytes waiting in the receive FIFO (for the run loop and tests).
  size_t rx_count() const { return rx_.size(); }

  // Snapshot (docs/snapshot.md): every register, latch and armed deadline,
  // restored verbatim (nothing re-derived, no line re-driven). load() changes
  // nothing unless it read all of its state without a problem.
  void save(StateWriter& out) const;
  void load(StateReader& in);

 private:
  uint8_t read_rbr();
  uint8_t read_iir();
  uint8_t read_lsr();
  uint8_t read_msr() const;
  void write_thr(uint8_t byte);
  void write_ier(uint8_t value);
  void write_fcr(uint8_t value);
  void receive(uint8_t byte);
  uint8_t pending_interrupt() const;  // an IIR id, or kIirNoInterrupt
  void update_irq();

  bool dlab() const { return (lcr_ & uart_reg::kLcrDlab) != 0; }
  bool fifo_enabled() const { return (fcr_ & uart_reg::kFcrEnable) != 0; }
  bool loopback() const { return (mcr_ & uart_reg::kMcrLoop) != 0; }
  size_t rx_capacity() const { return fifo_enabled() ? uart_reg::kFifoDepth : 1; }
  size_t rx_trigger() const;

  GuestLog& log_;
  ConsoleBackend& console_;
  IrqLine* irq_ = nullptr;
  // A received character; `brk` marks the 0 byte a break condition leaves,
  // which LSR.BI reports once it reaches the head of the FIFO.
  struct RxChar {
    uint8_t byte;
    bool brk = false;
  };
  std::deque<RxChar> rx_;
  bool break_at_head() const { return !rx_.empty() && rx_.front().brk; }
  uint8_t ier_ = 0;
  uint8_t fcr_ = 0;  // FIFO enable and trigger bits as last written
  uint8_t lcr_ = 0;
  uint8_t mcr_ = 0;
  uint8_t scr_ = 0;
  uint8_t dll_ = 0x0c;  // 9600 baud at 1.8432 MHz; only stored
  uint8_t dlm_ = 0;
  bool overrun_ = false;      // LSR.OE, cleared by reading LSR
  bool thre_pending_ = false; // THR-empty interrupt, cleared by IIR read or THR write
  // Receive timeout: stands in for "no character for 4 character times" by
  // "the last poll found the console idle", so a FIFO below its trigger level
  // still interrupts once the input stops (deterministic, no timer needed).
  bool rx_idle_ = false;
  bool irq_level_ = false;
};

}  // namespace vtime
