#include "vtime/machine/device_tree.h"

#include <fmt/format.h>
#include <libfdt.h>

#include <string_view>

#include "vtime/devices/sifive_test.h"

namespace vtime {

namespace {

// Sequential-write helper: remembers the first libfdt error so the builder
// reads as a plain description of the tree and checks once at the end.
class FdtWriter {
 public:
  explicit FdtWriter(size_t capacity) : buf_(capacity) {
    note(fdt_create(buf_.data(), static_cast<int>(buf_.size())));
    note(fdt_finish_reservemap(buf_.data()));
  }
  void begin(const std::string& name) { note(fdt_begin_node(buf_.data(), name.c_str())); }
  void end() { note(fdt_end_node(buf_.data())); }
  void u32(const char* prop, uint32_t v) { note(fdt_property_u32(buf_.data(), prop, v)); }
  void u64(const char* prop, uint64_t v) { note(fdt_property_u64(buf_.data(), prop, v)); }
  void str(const char* prop, const std::string& v) {
    note(fdt_property(buf_.data(), prop, v.c_str(), static_cast<int>(v.size() + 1)));
  }
  void empty(const char* prop) { note(fdt_property(buf_.data(), prop, nullptr, 0)); }
  // A string list: each entry NUL-terminated, back to back.
  void strings(const char* prop, const std::vector<std::string>& list) {
    std::string joined;
    for (const auto& s : list) joined.append(s).push_back('\0');
    note(fdt_property(buf_.data(), prop, joined.data(), static_cast<int>(joined.size())));
  }
  void cells(const char* prop, const std::vector<uint32_t>& list) {
    std::vector<fdt32_t> be;
    for (uint32_t v : list) be.push_back(cpu_to_fdt32(v));
    note(fdt_property(buf_.data(), prop, be.data(), static_cast<int>(be.size() * 4)));
  }
  // reg = <base size> with #address-cells = #size-cells = 2.
  void reg64(uint64_t base, uint64_t size) {
    cells("reg", {hi(base), lo(base), hi(size), lo(size)});
  }
  Result<std::vector<uint8_t>> finish() {
    note(fdt_finish(buf_.data()));
    if (error_ != 0) return Error{fmt::format("cannot build the device tree: {}", fdt_strerror(error_))};
    buf_.resize(fdt_totalsize(buf_.data()));
    return std::move(buf_);
  }

 private:
  static uint32_t hi(uint64_t v) { return static_cast<uint32_t>(v >> 32); }
  static uint32_t lo(uint64_t v) { return static_cast<uint32_t>(v); }
  void note(int rc) {
    if (rc < 0 && error_ == 0) error_ = rc;
  }
  std::vector<uint8_t> buf_;
  int error_ = 0;
};

std::string unit(std::string_view name, uint64_t addr) { return fmt::format("{}@{:x}", name, addr); }

void add_cpus(FdtWriter& w, const DeviceTreeConfig& c) {
  w.begin("cpus");
  w.u32("#address-cells", 1);
  w.u32("#size-cells", 0);
  w.u32("timebase-frequency", static_cast<uint32_t>(c.timebase.hz()));
  for (uint32_t h = 0; h < c.hart_isa.size(); ++h) {
    w.begin(unit("cpu", h));
    w.str("device_type", "cpu");
    w.u32("reg", h);
    w.str("status", "okay");
    w.str("compatible", "riscv");
    w.str("riscv,isa", c.hart_isa[h]);
    if (c.mmu_type) w.str("mmu-type", *c.mmu_type);
    w.begin("interrupt-controller");
    w.u32("#interrupt-cells", 1);
    w.empty("interrupt-controller");
    w.str("compatible", "riscv,cpu-intc");
    w.u32("phandle", dt_phandle::kFirstCpuIntc + h);
    w.end();
    w.end();
  }
  w.end();
}

// interrupts-extended = <intc(h) irq...> for every hart, in hart order.
std::vector<uint32_t> per_hart_irqs(size_t harts, std::initializer_list<uint32_t> irqs) {
  std::vector<uint32_t> cells;
  for (uint32_t h = 0; h < harts; ++h) {
    for (uint32_t irq : irqs) {
      cells.push_back(dt_phandle::kFirstCpuIntc + h);
      cells.push_back(irq);
    }
  }
  return cells;
}

void add_soc(FdtWriter& w, const DeviceTreeConfig& c) {
  using namespace virt_map;
  const size_t harts = c.hart_isa.size();
  w.begin("soc");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "simple-bus");
  w.empty("ranges");

  w.begin(unit("clint", kClintBase));
  w.strings("compatible", {"sifive,clint0", "riscv,clint0"});
  w.reg64(kClintBase, kClintSize);
  w.cells("interrupts-extended", per_hart_irqs(harts, {kIrqMSoft, kIrqMTimer}));
  w.end();

  w.begin(unit("plic", kPlicBase));
  w.strings("compatible", {"sifive,plic-1.0.0", "riscv,plic0"});
  w.u32("#address-cells", 0);
  w.u32("#interrupt-cells", 1);
  w.empty("interrupt-controller");
  w.reg64(kPlicBase, kPlicSize);
  w.u32("riscv,ndev", kPlicNdev);
  // Context 2h is hart h's M mode, 2h + 1 its S mode.
  w.cells("interrupts-extended", per_hart_irqs(harts, {kIrqMExt, kIrqSExt}));
  w.u32("phandle", dt_phandle::kPlic);
  w.end();

  w.begin(unit("serial", kUartBase));
  w.str("compatible", "ns16550a");
  w.reg64(kUartBase, kUartSize);
  w.u32("clock-frequency", static_cast<uint32_t>(c.uart_clock.hz()));
  w.u32("interrupt-parent", dt_phandle::kPlic);
  w.u32("interrupts", kUartIrq);
  w.end();

  w.begin(unit("rtc", kRtcBase));
  w.str("compatible", "google,goldfish-rtc");
  w.reg64(kRtcBase, kRtcSize);
  w.u32("interrupt-parent", dt_phandle::kPlic);
  w.u32("interrupts", kRtcIrq);
  w.end();

  w.begin(unit("test", kTestBase));
  w.strings("compatible", {"sifive,test1", "sifive,test0", "syscon"});
  w.reg64(kTestBase, kTestSize);
  w.u32("phandle", dt_phandle::kTest);
  w.end();

  for (const ExtraDeviceNode& d : c.extra_devices) {
    w.begin(unit(d.node_name, d.base));
    w.strings("compatible", d.compatible);
    w.reg64(d.base, d.size);
    if (d.plic_irq) {
      w.u32("interrupt-parent", dt_phandle::kPlic);
      w.u32("interrupts", *d.plic_irq);
    }
    if (d.clock_frequency) {
      // One cell when it fits, as most bindings expect; two cells otherwise.
      if (*d.clock_frequency <= UINT32_MAX) {
        w.u32("clock-frequency", static_cast<uint32_t>(*d.clock_frequency));
      } else {
        w.u64("clock-frequency", *d.clock_frequency);
      }
    }
    w.end();
  }
  w.end();
}

void add_syscon(FdtWriter& w, const char* node, const char* compatible, uint32_t value) {
  w.begin(node);
  w.str("compatible", compatible);
  w.u32("regmap", dt_phandle::kTest);
  w.u32("offset", 0);
  w.u32("value", value);
  w.end();
}

}  // namespace

Result<std::vector<uint8_t>> build_device_tree(const DeviceTreeConfig& config) {
  if (config.hart_isa.empty()) return Error{"the device tree needs at least one hart"};
  // Generous: a few hundred bytes per node; finish() trims to the real size.
  FdtWriter w(4096 + 1024 * (config.hart_isa.size() + config.extra_devices.size()) +
              config.bootargs.size());
  w.begin("");
  w.u32("#address-cells", 2);
  w.u32("#size-cells", 2);
  w.str("compatible", "riscv-virtio");
  w.str("model", "riscv-virtio,vtime");

  w.begin("chosen");
  w.str("stdout-path", unit("/soc/serial", virt_map::kUartBase));
  if (!config.bootargs.empty()) w.str("bootargs", config.bootargs);
  if (config.initrd) {
    w.u64("linux,initrd-start", config.initrd->start);
    w.u64("linux,initrd-end", config.initrd->end);
  }
  w.end();

  add_syscon(w, "poweroff", "syscon-poweroff", sifive_test_reg::kPass);
  add_syscon(w, "reboot", "syscon-reboot", sifive_test_reg::kReset);

  w.begin(unit("memory", config.ram_base));
  w.str("device_type", "memory");
  w.reg64(config.ram_base, config.ram_size);
  w.end();

  add_cpus(w, config);
  add_soc(w, config);
  w.end();
  return w.finish();
}

}  // namespace vtime
