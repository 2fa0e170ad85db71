// fuzz_options: the option parsers of `vtime run` - --icount, -m,
// --time-limit, and whole argument vectors. The first byte picks the parser;
// the rest is its text (for argument vectors, NUL-separated arguments).
// Asserts: an error is one non-empty sentence on one line; an accepted value
// is in range (RAM a whole number of pages within the board's limits, a time
// limit of at least 1 ns, 1..8 harts); accepted icount options are valid and
// print back to text that parses to the same options.
#include <fuzzer/FuzzedDataProvider.h>

#include <string>
#include <vector>

#include "fuzz/fuzz_check.h"
#include "tools/vtime/memory_size.h"
#include "vtime/time/printable.h"
#include "tools/vtime/run_request.h"
#include "vtime/icount/icount_options.h"

namespace vtime::fuzz {
namespace {

void fuzz_icount(const std::string& text) {
  const Result<IcountOptions> parsed = parse_icount_options(text);
  // The icount parser quotes its input verbatim; the command prints it escaped.
  if (!parsed) return check_one_line(printable(parsed.error()));
  if (!validate(*parsed).ok()) fail("icount '{}' parsed but does not validate", text);
  const std::string printed = format_icount_options(*parsed);
  if (parsed->mode == IcountMode::kOff) return;
  const Result<IcountOptions> again = parse_icount_options(printed);
  if (!again || format_icount_options(*again) != printed) {
    fail("icount '{}' prints as '{}', which does not read back the same", text, printed);
  }
}

void fuzz_memory(const std::string& text) {
  const Result<uint64_t> bytes = cli::parse_memory_size(text);
  if (!bytes) return check_one_line(bytes.error());
  if (*bytes < cli::kMinRamBytes || *bytes > cli::kMaxRamBytes || *bytes % 4096 != 0) {
    fail("-m '{}' accepted as {} bytes", text, *bytes);
  }
}

void fuzz_arguments(const std::vector<std::string>& args, const std::string& input) {
  const cli::ParseOutcome outcome = cli::parse_run_arguments(args);
  if (outcome.help) return;
  if (!outcome.request) return check_one_line(outcome.request.error());
  const cli::RunRequest& r = *outcome.request;
  if (r.guest_time_limit && *r.guest_time_limit < Duration(1)) {
    fail("'{}' accepted as a time limit of {} ns", input, r.guest_time_limit->count());
  }
  if (r.harts < 1 || r.harts > cli::kMaxHarts) fail("'{}' accepted as {} harts", input, r.harts);
  if (r.ram_bytes < cli::kMinRamBytes || r.ram_bytes > cli::kMaxRamBytes) {
    fail("'{}' accepted as {} bytes of RAM", input, r.ram_bytes);
  }
  if (r.cpu_throttle < 0 || r.cpu_throttle > 99) fail("'{}' accepted as throttle {}", input, r.cpu_throttle);
  if (r.savevm_at && (r.savevm_at->at < Duration(1) || r.savevm_at->path.empty())) {
    fail("'{}' accepted as a save at {} ns to '{}'", input, r.savevm_at->at.count(), r.savevm_at->path);
  }
  if (!r.icount.empty()) fuzz_icount(r.icount);
}

std::vector<std::string> split_at_nul(const std::string& text) {
  std::vector<std::string> args;
  size_t start = 0;
  while (start <= text.size() && args.size() < 24) {
    const size_t nul = text.find('\0', start);
    args.push_back(text.substr(start, nul == std::string::npos ? std::string::npos : nul - start));
    if (nul == std::string::npos) break;
    start = nul + 1;
  }
  return args;
}

}  // namespace
}  // namespace vtime::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace vtime::fuzz;
  FuzzedDataProvider in(data, size);
  const uint8_t which = in.ConsumeIntegral<uint8_t>();
  const std::string text = in.ConsumeRemainingBytesAsString();
  switch (which % 6) {
    case 0: fuzz_icount(text); break;
    case 1: fuzz_memory(text); break;
    case 2: fuzz_arguments({"--time-limit", text}, text); break;
    case 3: fuzz_arguments({"-rtc", text}, text); break;
    case 4: fuzz_arguments({"--savevm-at", text}, text); break;
    default: fuzz_arguments(split_at_nul(text), text); break;
  }
  return 0;
}
