// Randomised property test: a TimerGroup against a reference model, a plain
// sorted list per clock with the same documented semantics (fire (due, arm
// order) entries due at the pass's frozen "now" that were armed before the pass
// began). Callbacks arm, cancel and destroy timers too. Both sides must fire the
// same timers with the same deadlines in the same order, and agree on every
// deadline query after every operation.
// VTIME_SEED=<n> and VTIME_PROPERTY_OPS=<n> run other seeds and lengths.
#include <gtest/gtest.h>

#include <algorithm>
#include <array>
#include <cstdlib>
#include <list>
#include <optional>
#include <random>
#include <string>
#include <vector>

#include "vtime/time/manual_host_clock.h"
#include "vtime/timer/timer.h"
#include "vtime/timer/timer_group.h"

namespace vtime {
namespace {

constexpr size_t kSlots = 48;
constexpr std::array<ClockId, 2> kClocks = {ClockId::kVirtual, ClockId::kVirtualRt};
const std::array<AttributeMask, 3> kMasks = {
    AttributeMask::all(), AttributeMask::all_except(TimerAttribute::kExternal),
    AttributeMask(TimerAttribute::kExternal)};

uint64_t env_or(const char* name, uint64_t fallback) {
  const char* v = std::getenv(name);
  return v != nullptr ? std::strtoull(v, nullptr, 10) : fallback;
}

ClockId clock_of(size_t slot) { return kClocks[slot % 3 == 0 ? 1 : 0]; }
AttributeMask attributes_of(size_t slot) {
  return slot % 4 == 1 ? AttributeMask(TimerAttribute::kExternal) : AttributeMask::none();
}

struct Fire {
  size_t slot;
  Duration due;
  bool operator==(const Fire&) const = default;
};

// What a callback does, decided from (seed, fire number) so both sides agree.
struct Action {
  enum class Kind { kNothing, kArm, kArmEarlierOnly, kCancel, kDestroy } kind;
  size_t target;
  Duration due;
};

std::vector<Action> actions_for(uint64_t seed, uint64_t fire_number, size_t self, Duration due,
                                Duration now) {
  std::mt19937_64 rng(seed * 0x9e3779b97f4a7c15ull + fire_number);
  std::vector<Action> out;
  const int count = static_cast<int>(rng() % 3);
  for (int i = 0; i < count; ++i) {
    size_t target = rng() % kSlots;
    const Duration when[] = {due, now, due + Duration(10 * (rng() % 20)), now - 30ns,
                             now + Duration(10 * (rng() % 50))};
    const Duration at = when[rng() % 5];
    switch (rng() % 6) {
      case 0: out.push_back({Action::Kind::kArm, self, at}); break;  // re-arm itself
      case 1: out.push_back({Action::Kind::kArm, target, at}); break;
      case 2: out.push_back({Action::Kind::kArmEarlierOnly, target, at}); break;
      case 3: out.push_back({Action::Kind::kCancel, target, at}); break;
      case 4:
        if (target == self) target = (target + 1) % kSlots;  // never destroy itself
        out.push_back({Action::Kind::kDestroy, target, at});
        break;
      default: out.push_back({Action::Kind::kNothing, target, at}); break;
    }
  }
  return out;
}

// The reference: per clock, a list kept sorted by (due, seq) by linear insertion.
class Model {
 public:
  struct Entry {
    Duration due;
    uint64_t seq;
    size_t slot;
  };
  Model(uint64_t seed, VmClocks& clocks) : seed_(seed), clocks_(clocks) {}

  std::array<bool, kSlots> alive{};
  std::vector<Fire> fired;

  std::list<Entry>& list_of(size_t slot) { return lists_[slot % 3 == 0 ? 1 : 0]; }
  std::list<Entry>::iterator find(size_t slot) {
    auto& l = list_of(slot);
    return std::find_if(l.begin(), l.end(), [&](const Entry& e) { return e.slot == slot; });
  }
  std::optional<Duration> due_of(size_t slot) {
    auto it = find(slot);
    if (it == list_of(slot).end()) return std::nullopt;
    return it->due;
  }
  void cancel(size_t slot) {
    auto it = find(slot);
    if (it != list_of(slot).end()) list_of(slot).erase(it);
  }
  void arm(size_t slot, Duration due) {
    cancel(slot);
    if (due == Duration::max()) return;
    auto& l = list_of(slot);
    auto pos = l.begin();
    while (pos != l.end() && pos->due <= due) ++pos;  // behind equal deadlines
    l.insert(pos, {due, next_seq_++, slot});
  }
  void arm_earlier_only(size_t slot, Duration due) {
    const auto current = due_of(slot);
    if (due == Duration::max() || (current && *current <= due)) return;
    arm(slot, due);
  }
  void destroy(size_t slot) {
    cancel(slot);
    alive[slot] = false;
  }
  size_t run_due(size_t list_index, ClockId id) {
    if (!clocks_.enabled(id)) return 0;
    const Duration now = clocks_.read(id);
    const uint64_t pass_start = next_seq_;
    size_t count = 0;
    auto& l = lists_[list_index];
    for (;;) {
      auto it = l.begin();
      while (it != l.end() && it->due <= now && it->seq >= pass_start) ++it;
      if (it == l.end() || it->due > now) break;
      const Entry e = *it;
      l.erase(it);
      fired.push_back({e.slot, e.due});
      ++count;
      for (const Action& a : actions_for(seed_, fired.size(), e.slot, e.due, now)) apply(a);
    }
    return count;
  }
  Duration next_deadline(size_t list_index, AttributeMask mask) {
    for (const Entry& e : lists_[list_index]) {
      if (mask.allows(attributes_of(e.slot))) return e.due;
    }
    return kNoDeadline;
  }

 private:
  void apply(const Action& a) {
    if (!alive[a.target]) return;
    switch (a.kind) {
      case Action::Kind::kArm: arm(a.target, a.due); break;
      case Action::Kind::kArmEarlierOnly: arm_earlier_only(a.target, a.due); break;
      case Action::Kind::kCancel: cancel(a.target); break;
      case Action::Kind::kDestroy: destroy(a.target); break;
      case Action::Kind::kNothing: break;
    }
  }
  uint64_t seed_;
  VmClocks& clocks_;
  std::array<std::list<Entry>, 2> lists_;
  uint64_t next_seq_ = 0;
};

// The system under test, with callbacks that perform the same actions.
class Real {
 public:
  Real(uint64_t seed, VmClocks& clocks) : seed_(seed), clocks_(clocks), group(clocks) {}
  ~Real() {
    for (auto& t : timers) t.reset();
  }

  std::array<std::optional<GuestTimer>, kSlots> timers;
  std::vector<Fire> fired;

  void create(size_t slot) {
    timers[slot].emplace(
        group, clock_of(slot),
        [this, slot](GuestTime due) {
          fired.push_back({slot, due.since_epoch()});
          const Duration now = clocks_.read(clock_of(slot));
          for (const Action& a : actions_for(seed_, fired.size(), slot, due.since_epoch(), now)) {
            apply(a);
          }
        },
        TimerOptions{.attributes = attributes_of(slot)});
  }

 private:
  void apply(const Action& a) {
    auto& t = timers[a.target];
    if (!t) return;
    switch (a.kind) {
      case Action::Kind::kArm: t->arm(GuestTime::from_epoch(a.due)); break;
      case Action::Kind::kArmEarlierOnly: t->arm_earlier_only(GuestTime::from_epoch(a.due)); break;
      case Action::Kind::kCancel: t->cancel(); break;
      case Action::Kind::kDestroy: t.reset(); break;
      case Action::Kind::kNothing: break;
    }
  }
  uint64_t seed_;
  VmClocks& clocks_;

 public:
  TimerGroup group;  // after clocks_, before nothing that outlives timers
};

TEST(TimerGroupProperty, MatchesASortedListModelOverRandomOperations) {
  const uint64_t seed = env_or("VTIME_SEED", 20240611);
  const uint64_t ops = env_or("VTIME_PROPERTY_OPS", 100'000);
  SCOPED_TRACE("VTIME_SEED=" + std::to_string(seed));
  ManualHostClock host;
  VmClocks clocks(host);
  Model model(seed, clocks);
  Real real(seed, clocks);
  for (size_t s = 0; s < kSlots; ++s) {
    real.create(s);
    model.alive[s] = true;
  }
  std::mt19937_64 rng(seed);
  size_t fires = 0;
  for (uint64_t op = 0; op < ops; ++op) {
    const size_t slot = rng() % kSlots;
    const size_t list_index = rng() % 2;
    const Duration now = clocks.read(clock_of(slot));
    // Deadlines on a 10 ns grid near "now", so ties and overdue arms are common.
    const Duration due = now + Duration(10 * (static_cast<int64_t>(rng() % 80) - 10));
    const uint64_t kind = rng() % 100;
    if (kind < 30) {
      if (model.alive[slot]) {
        real.timers[slot]->arm(GuestTime::from_epoch(due));
        model.arm(slot, due);
      }
    } else if (kind < 38) {
      if (model.alive[slot]) {
        const bool changed = real.timers[slot]->arm_earlier_only(GuestTime::from_epoch(due));
        const auto before = model.due_of(slot);
        model.arm_earlier_only(slot, due);
        ASSERT_EQ(changed, model.due_of(slot) != before || (!before && model.due_of(slot)));
      }
    } else if (kind < 48) {
      if (model.alive[slot]) {
        real.timers[slot]->cancel();
        model.cancel(slot);
      }
    } else if (kind < 52) {
      if (model.alive[slot]) {
        real.timers[slot].reset();
        model.destroy(slot);
      } else {
        real.create(slot);
        model.alive[slot] = true;
      }
    } else if (kind < 70) {
      host.advance(Duration(10 * static_cast<int64_t>(rng() % 40)));
    } else if (kind < 92) {
      const ClockId id = kClocks[list_index];
      ASSERT_EQ(real.group.run_due(id), model.run_due(list_index, id)) << "op " << op;
    } else if (kind < 96) {
      size_t expected = 0;
      for (ClockId id : kAllClocks) {  // run_all_due goes in clock-id order
        if (id == kClocks[0]) expected += model.run_due(0, id);
        if (id == kClocks[1]) expected += model.run_due(1, id);
      }
      ASSERT_EQ(real.group.run_all_due(), expected) << "op " << op;
    } else if (kind < 98) {
      const ClockId id = kClocks[list_index];
      if (clocks.enabled(id)) {
        clocks.disable(id);
      } else {
        clocks.enable(id);
      }
    } else {
      if (clocks.running()) {
        clocks.stop();
      } else {
        clocks.resume();
      }
    }

    ASSERT_EQ(real.fired.size(), model.fired.size()) << "op " << op;
    for (; fires < model.fired.size(); ++fires) {
      ASSERT_EQ(real.fired[fires], model.fired[fires]) << "fire " << fires << ", op " << op;
    }
    for (size_t l = 0; l < 2; ++l) {
      for (const AttributeMask& mask : kMasks) {
        const Duration expected = model.next_deadline(l, mask);
        ASSERT_EQ(real.group.next_deadline(kClocks[l], mask), expected) << "op " << op;
        const Duration in = !clocks.enabled(kClocks[l]) || expected == kNoDeadline
                                ? kNoDeadline
                                : std::max(0ns, expected - clocks.read(kClocks[l]));
        ASSERT_EQ(real.group.deadline_in(kClocks[l], mask), in) << "op " << op;
      }
    }
    for (size_t s = 0; s < kSlots; ++s) {
      ASSERT_EQ(real.timers[s].has_value(), model.alive[s]);
      if (!model.alive[s]) continue;
      const auto due_of = model.due_of(s);
      ASSERT_EQ(real.timers[s]->pending(), due_of.has_value()) << "slot " << s << ", op " << op;
      ASSERT_EQ(real.timers[s]->expire_time().since_epoch(), due_of.value_or(Duration::max()));
    }
  }
  EXPECT_GT(fires, ops / 20) << "the mix should fire plenty of timers";
}

}  // namespace
}  // namespace vtime
