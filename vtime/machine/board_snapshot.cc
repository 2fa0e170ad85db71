// Board snapshots (docs/snapshot.md): one section per component, in the order
// they are loaded - the configuration first (checked, never applied), then the
// icount engine and the clocks (so every deadline that follows means the same
// guest instant), the devices with their armed timers, memory, the harts, and
// the run loop's own state last.

#include "vtime/machine/board.h"
#include "vtime/machine/board_config.h"
#include "vtime/machine/board_parts.h"
#include "vtime/machine/memory_snapshot.h"
#include "vtime/machine/snapshot_file.h"

namespace vtime {
namespace {

// The sections of one board, by tag, each a component's save() output.
struct Component {
  std::string tag;
  std::function<void(StateWriter&)> save;
  std::function<void(StateReader&)> load;
  SectionEncoding encoding = SectionEncoding::kRaw;
};

// The run loop's own state: the interrupt lines into the harts, whose turn it
// is, the guest-time console poll, and the report's counters.
void save_run_loop(Board::Parts& p, StateWriter& o) {
  o.u64(p.lines.size());
  for (const auto& line : p.lines) o.boolean(line->level());
  p.turns->save(o);
  o.guest_time(p.console_poll_guest->expire_time());
  for (uint64_t n : {p.timers_fired, p.own_timers_fired, p.reboots, p.log.count()}) o.u64(n);
  for (Duration d : {p.time_warped, p.time_slept_align, p.host_idle}) o.duration(d);
}

void load_run_loop(Board::Parts& p, StateReader& i) {
  i.expect_equal(i.u64(), p.lines.size(), "the number of interrupt lines");
  std::vector<bool> levels;
  for (size_t n = 0; n < p.lines.size(); ++n) levels.push_back(i.boolean());
  TurnScheduler turns = *p.turns;
  turns.load(i);
  const GuestTime poll = i.guest_time();
  uint64_t counts[4];
  for (uint64_t& n : counts) n = i.u64();
  Duration spans[3];
  for (Duration& d : spans) d = i.duration();
  if (!i.ok()) return;
  for (size_t n = 0; n < p.lines.size(); ++n) p.lines[n]->set_level(levels[n]);
  *p.turns = turns;
  p.console_poll_guest->arm(poll);
  p.timers_fired = counts[0];
  p.own_timers_fired = counts[1];
  p.reboots = counts[2];
  p.log.restore_count(counts[3]);
  p.time_warped = spans[0];
  p.time_slept_align = spans[1];
  p.host_idle = spans[2];
}

std::vector<Component> components(Board::Parts& p) {
  std::vector<Component> c;
  if (p.icount) c.push_back({"ICNT", [&](StateWriter& o) { p.icount->save(o); }, [&](StateReader& i) { p.icount->load(i); }});
  c.push_back({"CLKS",
               [&](StateWriter& o) { o.blob(encode(p.clocks.save())); },
               [&](StateReader& i) {
                 const std::vector<uint8_t> blob = i.blob(1024);
                 if (!i.ok()) return;
                 Result<ClockState> state = decode_clock_state(blob);
                 if (!state) return i.fail(state.error());
                 if (Status s = p.clocks.restore(*state); !s.ok()) i.fail(s.error());
               }});
  VirtPlatform& v = *p.platform;
  c.push_back({"CLNT", [&v](StateWriter& o) { v.clint().save(o); }, [&v](StateReader& i) { v.clint().load(i); }});
  c.push_back({"PLIC", [&v](StateWriter& o) { v.plic().save(o); }, [&v](StateReader& i) { v.plic().load(i); }});
  c.push_back({"UART", [&v](StateWriter& o) { v.uart().save(o); }, [&v](StateReader& i) { v.uart().load(i); }});
  c.push_back({"RTC ", [&v](StateWriter& o) { v.rtc().save(o); }, [&v](StateReader& i) { v.rtc().load(i); }});
  TimerDevices& t = *p.timer_devices;
  if (Hpet* hpet = t.hpet()) {
    c.push_back({"HPET", [hpet](StateWriter& o) { hpet->save(o); }, [hpet](StateReader& i) { hpet->load(i); }});
  }
  for (unsigned h = 0; h < p.harts.size(); ++h) {
    if (LapicTimer* l = t.lapic_timer(h)) {
      c.push_back({"LAPC", [l](StateWriter& o) { l->save(o); }, [l](StateReader& i) { l->load(i); }});
    }
    if (PvClockEvent* e = t.pv_clockevent(h)) {
      c.push_back({"PVCE", [e](StateWriter& o) { e->save(o); }, [e](StateReader& i) { e->load(i); }});
    }
  }
  if (PvClock* pv = t.pvclock()) {
    c.push_back({"PVCK", [pv](StateWriter& o) { pv->save(o); }, [pv](StateReader& i) { pv->load(i); }});
  }
  c.push_back({"THRT", [&](StateWriter& o) { p.throttle.save(o); }, [&](StateReader& i) { p.throttle.load(i); }});
  c.push_back({"MEMO", [&v](StateWriter& o) { save_memory(v.bus(), o); },
               [&v](StateReader& i) { load_memory(v.bus(), i); }, SectionEncoding::kZstd});
  for (unsigned h = 0; h < p.harts.size(); ++h) {
    riscv::Hart& hart = *p.harts[h];
    SstcTimer& sstc = *p.sstc[h];
    c.push_back({"HART",
                 [&hart, &sstc](StateWriter& o) {
                   hart.save(o);
                   sstc.save(o);
                 },
                 [&hart, &sstc](StateReader& i) {
                   hart.load(i);
                   if (i.ok()) sstc.load(i);
                 }});
  }
  c.push_back({"LOOP", [&](StateWriter& o) { save_run_loop(p, o); }, [&](StateReader& i) { load_run_loop(p, i); }});
  return c;
}

}  // namespace

std::vector<uint8_t> Board::save_snapshot() {
  Parts& p = *p_;
  std::vector<SnapshotSection> sections;
  StateWriter conf;
  save_config(config_of(p.options), conf);
  sections.push_back({"CONF", conf.take()});
  for (const Component& c : components(p)) {
    StateWriter out;
    c.save(out);
    sections.push_back({c.tag, out.take(), c.encoding});
  }
  return encode_snapshot(sections);
}

Status Board::save_snapshot_to(const std::string& path) {
  return write_whole_file(path, save_snapshot(), "snapshot");
}

namespace {

// Loads decoded sections into `p`. Sections must come in this board's order.
Status apply_sections(Board::Parts& p, const std::vector<SnapshotSection>& sections) {
  if (sections.empty() || sections[0].tag != "CONF") return Error{"the snapshot has no configuration section."};
  StateReader conf(sections[0].bytes, "the snapshot's configuration");
  if (std::string why = check_config(config_of(p.options), conf, "the snapshot", "saved"); !why.empty()) return Error{why};
  const std::vector<Component> parts = components(p);
  if (sections.size() != parts.size() + 1) {
    return Error{"the snapshot has " + std::to_string(sections.size() - 1) + " state sections where this machine has " +
                 std::to_string(parts.size()) + "."};
  }
  for (size_t k = 0; k < parts.size(); ++k) {
    const SnapshotSection& s = sections[k + 1];
    if (s.tag != parts[k].tag) {
      return Error{"the snapshot has a " + s.tag + " section where this machine expects " + parts[k].tag + "."};
    }
    StateReader in(s.bytes, "the snapshot's " + s.tag + " section");
    parts[k].load(in);
    if (Status st = in.finish(); !st.ok()) return st;
  }
  return ok_status();
}

}  // namespace

Status Board::load_snapshot(std::span<const uint8_t> file) {
  Parts& p = *p_;
  Result<std::vector<SnapshotSection>> sections =
      decode_snapshot(file, memory_section_limit(p.platform->bus()) + (1u << 20));
  if (!sections) return Error{"snapshot refused: " + sections.error()};
  {
    // A scratch board with the same options takes the load first: what fails
    // there fails before anything here has changed.
    BufferConsole quiet;
    BoardOptions scratch_options = p.options;
    scratch_options.guest_error_sink = nullptr;
    Result<std::unique_ptr<Board>> scratch = Board::create(p.host, quiet, scratch_options, p.images);
    if (!scratch) return Error{"snapshot refused: " + scratch.error()};
    if (Status s = apply_sections(*(*scratch)->p_, *sections); !s.ok()) return Error{"snapshot refused: " + s.error()};
  }
  const bool paused = p.paused;
  if (Status s = apply_sections(p, *sections); !s.ok()) return s;  // cannot fail after the scratch load
  p.finish.reset();  // a poweroff or reset asked for before the load is the old machine's
  // The clocks take the file's run state, except that a paused board stays paused.
  if (paused) p.clocks.stop();
  for (auto& hart : p.harts) hart->invalidate_code();
  return ok_status();
}

Status Board::load_snapshot_from(const std::string& path) {
  Result<std::vector<uint8_t>> bytes = read_whole_file(path, "snapshot");
  if (!bytes) return Error{bytes.error()};
  return load_snapshot(*bytes);
}

void Board::save_snapshot_at(GuestTime at, std::string path) {
  Parts& p = *p_;
  p.snapshot_path = std::move(path);
  p.snapshot_timer.emplace(p.timers, ClockId::kVirtual, [&p](GuestTime) {
    ++p.own_timers_fired;
    p.snapshot_due = true;
    if (p.running != nullptr) p.running->request_exit();
  });
  p.snapshot_timer->arm(at);
}

}  // namespace vtime
