#include "vtime/state/state_stream.h"

namespace vtime {

void StateWriter::blob(std::span<const uint8_t> data) {
  u64(data.size());
  raw(data);
}

uint64_t StateReader::get(unsigned n) {
  if (!ok()) return 0;
  if (left() < n) {
    fail("it ends early (truncated)");
    return 0;
  }
  uint64_t v = 0;
  for (unsigned i = 0; i < n; ++i) v |= uint64_t{data_[pos_ + i]} << (8 * i);
  pos_ += n;
  return v;
}

bool StateReader::boolean() {
  const uint8_t v = u8();
  if (v > 1) fail("a flag reads " + std::to_string(v) + " instead of 0 or 1");
  return v == 1;
}

std::vector<uint8_t> StateReader::blob(size_t max) {
  const uint64_t n = u64();
  if (!ok()) return {};
  if (n > max || n > left()) {
    fail("a byte string claims " + std::to_string(n) + " bytes, more than " +
         (n > max ? "allowed (" + std::to_string(max) + ")" : "are left"));
    return {};
  }
  const std::span<const uint8_t> bytes = raw(static_cast<size_t>(n));
  return {bytes.begin(), bytes.end()};
}

std::span<const uint8_t> StateReader::raw(size_t n) {
  if (!ok()) return {};
  if (left() < n) {
    fail("it ends early (truncated)");
    return {};
  }
  const std::span<const uint8_t> out = data_.subspan(pos_, n);
  pos_ += n;
  return out;
}

uint64_t StateReader::count(uint64_t max, size_t min_item_bytes) {
  const uint64_t n = u64();
  if (!ok()) return 0;
  if (n > max || (min_item_bytes > 0 && n > left() / min_item_bytes)) {
    fail("a count of " + std::to_string(n) + " is more than " +
         (n > max ? "allowed (" + std::to_string(max) + ")" : "the bytes left can hold"));
    return 0;
  }
  return n;
}

void StateReader::fail(const std::string& sentence) {
  if (ok()) error_ = what_ + ": " + sentence;
}

void StateReader::expect_equal(uint64_t saved, uint64_t here, const std::string& name) {
  if (ok() && saved != here) {
    fail(name + " was " + std::to_string(saved) + " when saved but is " + std::to_string(here) +
         " here");
  }
}

Status StateReader::finish() const {
  if (!ok()) return Error{error_ + "."};
  if (left() != 0) return Error{what_ + ": " + std::to_string(left()) + " bytes are left over."};
  return ok_status();
}

}  // namespace vtime
