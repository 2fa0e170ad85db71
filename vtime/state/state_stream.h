// StateWriter / StateReader: the encoding of a component's saved state - a
// flat sequence of little-endian integers, booleans, times and byte strings,
// in an order the component defines. There are no field names or types on the
// wire: a component reads back exactly what it wrote, and the container around
// it (a snapshot section) carries the length, the checksum and the version.
//
// The reader never reads past its end and never throws: the first problem
// (too few bytes, a boolean that is not 0 or 1, a value a component rejects
// through fail()) is kept as one sentence, later reads return zeros, and
// finish() reports it - so a loader reads all its fields, checks ok() or
// finish(), and only then applies them.
#pragma once

#include <cstdint>
#include <span>
#include <string>
#include <vector>

#include "vtime/time/duration.h"
#include "vtime/time/instant.h"
#include "vtime/time/result.h"

namespace vtime {

class StateWriter {
 public:
  void u8(uint8_t v) { bytes_.push_back(v); }
  void u16(uint16_t v) { put(v, 2); }
  void u32(uint32_t v) { put(v, 4); }
  void u64(uint64_t v) { put(v, 8); }
  void i64(int64_t v) { put(static_cast<uint64_t>(v), 8); }
  void boolean(bool v) { u8(v ? 1 : 0); }
  void duration(Duration d) { i64(d.count()); }
  void guest_time(GuestTime t) { duration(t.since_epoch()); }  // never() round-trips
  // A length (u64) and then the bytes.
  void blob(std::span<const uint8_t> data);
  // The bytes alone: the reader must know how many.
  void raw(std::span<const uint8_t> data) { bytes_.insert(bytes_.end(), data.begin(), data.end()); }

  const std::vector<uint8_t>& bytes() const { return bytes_; }
  std::vector<uint8_t> take() { return std::move(bytes_); }

 private:
  void put(uint64_t v, unsigned n) {
    for (unsigned i = 0; i < n; ++i) bytes_.push_back(static_cast<uint8_t>(v >> (8 * i)));
  }
  std::vector<uint8_t> bytes_;
};

class StateReader {
 public:
  // `what` names the data in errors: "the CLINT section".
  StateReader(std::span<const uint8_t> data, std::string what)
      : data_(data), what_(std::move(what)) {}

  uint8_t u8() { return static_cast<uint8_t>(get(1)); }
  uint16_t u16() { return static_cast<uint16_t>(get(2)); }
  uint32_t u32() { return static_cast<uint32_t>(get(4)); }
  uint64_t u64() { return get(8); }
  int64_t i64() { return static_cast<int64_t>(get(8)); }
  bool boolean();
  Duration duration() { return Duration(i64()); }
  GuestTime guest_time() { return GuestTime::from_epoch(duration()); }
  // What StateWriter::blob() wrote; empty after a failure. At most `max` bytes.
  std::vector<uint8_t> blob(size_t max);
  // `n` bytes as written by StateWriter::raw(); an empty span after a failure.
  std::span<const uint8_t> raw(size_t n);
  // A count of items that follow, each at least `min_item_bytes` long: fails
  // when more than `max` or more than the bytes left could hold.
  uint64_t count(uint64_t max, size_t min_item_bytes = 1);

  // Records a problem the component found in the values: `sentence` names it
  // ("hart 3 does not exist"); the error reads "<what>: <sentence>".
  void fail(const std::string& sentence);
  // Checks that a value equals what this machine has ("the CLINT's hart count").
  void expect_equal(uint64_t saved, uint64_t here, const std::string& name);
  bool ok() const { return error_.empty(); }
  size_t left() const { return data_.size() - pos_; }
  // The first problem, or an error when bytes are left over; ok otherwise.
  Status finish() const;
  const std::string& what() const { return what_; }

 private:
  uint64_t get(unsigned n);

  std::span<const uint8_t> data_;
  size_t pos_ = 0;
  std::string what_;
  std::string error_;
};

}  // namespace vtime
