// The HPET driftfix scenario as figures: a guest that counts periodic HPET
// ticks, a host that runs timer callbacks late in bursts (~25 % of ticks lost
// over a simulated hour). Prints the guest tick clock's error over the hour as
// CSV, without driftfix and with driftfix=slew, then the final numbers and the
// same hour through every lost-tick policy of the engine. Then Google
// Benchmark timings: host CPU per simulated minute, each policy as a ratio to
// the "none" (merge) baseline measured in the same run.
#include <benchmark/benchmark.h>

#include <cstdio>
#include <map>
#include <string>

#include "tests/devices/driftfix_sim.h"

namespace {

using vtime::Duration;
using namespace std::chrono_literals;
using vtime::HpetDriftfix;
using vtime::LostTickPolicy;
using vtime::testing::DriftfixResult;
using vtime::testing::DriftfixRun;

double ms(Duration d) { return static_cast<double>(d.count()) / 1e6; }

void print_curves(const DriftfixRun& run, const DriftfixResult& none, const DriftfixResult& slew) {
  std::printf("# HPET driftfix scenario: %lld s, period %.3f ms, host bursts %.0f-%.0f ms every %.0f-%.0f ms\n",
              static_cast<long long>(run.length / vtime::kSecond), ms(run.period),
              ms(run.host.burst_min), ms(run.host.burst_max), ms(run.host.calm_min),
              ms(run.host.calm_max));
  std::printf("time_s,error_none_ms,error_slew_ms\n");
  for (size_t i = 0; i < none.samples.size() && i < slew.samples.size(); ++i) {
    std::printf("%lld,%.3f,%.3f\n", static_cast<long long>(none.samples[i].at / vtime::kSecond),
                ms(none.samples[i].error), ms(slew.samples[i].error));
  }
}

void print_result(const char* name, const DriftfixRun& run, const DriftfixResult& r) {
  const auto& c = r.counters;
  std::printf("%-9s slots %7llu lost %6llu (%5.2f %%) delivered %7llu reinjected %6llu "
              "dropped %6llu backlog %5llu given_up %4llu coalesced %4llu | final error %10.3f ms "
              "worst %10.3f ms | min spacing %7.3f ms (%.2fx base rate)\n",
              name, static_cast<unsigned long long>(c.slots), static_cast<unsigned long long>(c.lost),
              100.0 * static_cast<double>(c.lost) / static_cast<double>(c.slots),
              static_cast<unsigned long long>(c.delivered),
              static_cast<unsigned long long>(c.reinjected),
              static_cast<unsigned long long>(c.dropped), static_cast<unsigned long long>(c.backlog),
              static_cast<unsigned long long>(c.given_up),
              static_cast<unsigned long long>(c.coalesced), ms(r.final_error), ms(r.worst_error),
              ms(r.min_spacing), ms(run.period) / ms(r.min_spacing));
}

void figures() {
  const DriftfixRun run;
  const vtime::SlewParams slew{.max_extra_per_period = 3};
  const DriftfixResult none = vtime::testing::simulate_hpet(HpetDriftfix::kNone, run);
  const DriftfixResult slewed = vtime::testing::simulate_hpet(HpetDriftfix::kSlew, run, slew);
  print_curves(run, none, slewed);
  std::printf("\n# final numbers, one simulated hour (host overloaded %.1f %% of the time)\n",
              100.0 * ms(none.overload) / ms(run.length));
  std::printf("# HPET timer 0 periodic at %.3f ms; slew cap %u extra ticks per period\n",
              ms(run.period), slew.max_extra_per_period);
  print_result("hpet/none", run, none);
  print_result("hpet/slew", run, slewed);

  DriftfixRun coalescing = run;
  coalescing.host.guest_resume_max = 40ms;
  std::printf("\n# the same hour on the bare engine, every policy; the vCPU resumes up to 40 ms "
              "after each burst (coalesced ticks)\n");
  for (LostTickPolicy p : {LostTickPolicy::kDiscard, LostTickPolicy::kDelay, LostTickPolicy::kMerge,
                           LostTickPolicy::kSlew, LostTickPolicy::kCatchUp}) {
    const DriftfixResult r = vtime::testing::simulate_engine({.policy = p}, coalescing);
    print_result(std::string(vtime::policy_name(p)).c_str(), coalescing, r);
  }
  std::printf("\n");
  std::fflush(stdout);
}

DriftfixRun one_minute() {
  DriftfixRun run;
  run.length = std::chrono::minutes(1);
  run.host.settle = 1s;
  return run;
}

void BM_SimulatedMinute_HpetNone(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(vtime::testing::simulate_hpet(HpetDriftfix::kNone, one_minute()));
  }
}
void BM_SimulatedMinute_HpetSlew(benchmark::State& state) {
  for (auto _ : state) {
    benchmark::DoNotOptimize(vtime::testing::simulate_hpet(HpetDriftfix::kSlew, one_minute()));
  }
}
void BM_SimulatedMinute_Engine(benchmark::State& state) {
  const auto policy = static_cast<LostTickPolicy>(state.range(0));
  state.SetLabel(std::string(vtime::policy_name(policy)));
  for (auto _ : state) {
    benchmark::DoNotOptimize(vtime::testing::simulate_engine({.policy = policy}, one_minute()));
  }
}
BENCHMARK(BM_SimulatedMinute_HpetNone)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimulatedMinute_HpetSlew)->Unit(benchmark::kMillisecond);
BENCHMARK(BM_SimulatedMinute_Engine)->DenseRange(0, 4)->Unit(benchmark::kMillisecond);

// Console output as usual, plus each run's CPU time (in the benchmarks' unit,
// milliseconds) for the ratio table.
class RatioReporter : public benchmark::ConsoleReporter {
 public:
  void ReportRuns(const std::vector<Run>& runs) override {
    ConsoleReporter::ReportRuns(runs);
    for (const Run& r : runs) {
      if (r.run_type != Run::RT_Iteration || r.error_occurred) continue;
      cpu_ms_[r.benchmark_name() + " " + r.report_label] = r.GetAdjustedCPUTime();
    }
  }
  void print_ratios() const {
    const auto base = cpu_ms_.find("BM_SimulatedMinute_HpetNone ");
    if (base == cpu_ms_.end() || base->second <= 0) return;
    std::printf("\n%-40s %14s %10s\n", "simulated minute", "host cpu", "vs none");
    for (const auto& [name, cpu] : cpu_ms_) {
      std::printf("%-40s %11.3f ms %9.2fx\n", name.c_str(), cpu, cpu / base->second);
    }
  }

 private:
  std::map<std::string, double> cpu_ms_;
};

}  // namespace

int main(int argc, char** argv) {
  figures();
  benchmark::Initialize(&argc, argv);
  if (benchmark::ReportUnrecognizedArguments(argc, argv)) return 1;
  RatioReporter reporter;
  benchmark::RunSpecifiedBenchmarks(&reporter);
  reporter.print_ratios();
  benchmark::Shutdown();
  return 0;
}
