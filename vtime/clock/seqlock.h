// Seqlock<T>: one writer thread publishes a small trivially-copyable value; any
// number of reader threads take consistent snapshots of it without locks or
// system calls, retrying when a write overlapped their read.
// Correct under the C++ memory model and clean under ThreadSanitizer: the value
// lives in std::atomic words, written with release and read with acquire, so
// no standalone fence is needed (GCC's TSan does not model fences). Reading a
// word the writer stored synchronizes with that store, which makes the odd
// count the writer stored first visible to the check that follows (Boehm,
// "Can seqlocks get along with programming language memory models?", 2012).
// On x86 every one of these is a plain load or store. Leaves out: writer
// mutual exclusion - exactly one thread (the owner) may write.
#pragma once

#include <array>
#include <atomic>
#include <cstddef>
#include <cstdint>
#include <cstring>
#include <thread>
#include <type_traits>
#include <utility>

namespace vtime {

template <class T>
class Seqlock {
  static_assert(std::is_trivially_copyable_v<T>, "a seqlock copies its value word by word");
  static_assert(std::is_default_constructible_v<T>);
  static constexpr size_t kWords = (sizeof(T) + sizeof(uint64_t) - 1) / sizeof(uint64_t);

 public:
  explicit Seqlock(const T& initial = T{}) { store_words(initial); }
  Seqlock(const Seqlock&) = delete;
  Seqlock& operator=(const Seqlock&) = delete;

  // --- Readers (any thread) ------------------------------------------------
  // A consistent copy of the last published value.
  T read() const {
    for (;;) {
      const uint64_t seq = read_begin();
      T value = read_data();
      if (read_valid(seq)) return value;
    }
  }

  // The three steps of read(), for readers that must validate later work
  // against the same snapshot: begin, copy, then check read_valid(seq) (which
  // may be called again after further atomic operations).
  uint64_t read_begin() const {
    for (;;) {
      const uint64_t seq = seq_.load(std::memory_order_acquire);
      if ((seq & 1) == 0) return seq;
      std::this_thread::yield();  // a write is in progress; the owner is mid-update
    }
  }
  // May be torn if a write overlaps; use it only once read_valid() said yes.
  // Acquire: the count check in read_valid() cannot move above these loads.
  // Copied word by word straight into the result (a staging array costs
  // store-forwarding stalls when T is then read in other widths).
  T read_data() const {
    T value;
    load_words(reinterpret_cast<unsigned char*>(&value), std::make_index_sequence<kWords>());
    return value;
  }

  // True if no write started since read_begin() returned `seq`. The load is
  // seq_cst so that update() (below) can rely on it.
  bool read_valid(uint64_t seq) const { return seq_.load(std::memory_order_seq_cst) == seq; }

  // --- Writer (owner thread only) ----------------------------------------
  void write(const T& value) {
    update([&value] { return value; });
  }

  // Publishes make()'s result, calling make() while readers are held off (the
  // count is odd). The odd store is seq_cst, so any seq_cst atomic operation a
  // reader performed before a read_valid() that still saw the old count is
  // visible to make() - a reader's work either counts or is retried.
  // make() must not read this seqlock (it would wait for itself).
  template <class Make>
  void update(Make&& make) {
    const uint64_t seq = seq_.load(std::memory_order_relaxed);
    seq_.store(seq + 1, std::memory_order_seq_cst);  // odd: readers will retry
    const T value = make();
    store_words(value);
    seq_.store(seq + 2, std::memory_order_release);
  }

  // The number of completed writes (for tests and statistics).
  uint64_t writes() const { return seq_.load(std::memory_order_acquire) / 2; }

 private:
  // Straight-line code, one load and one store per word (no loop, no staging).
  template <size_t... I>
  void load_words(unsigned char* bytes, std::index_sequence<I...>) const {
    (load_word(bytes, I), ...);
  }
  void load_word(unsigned char* bytes, size_t i) const {
    const uint64_t word = words_[i].load(std::memory_order_acquire);
    const size_t n = i + 1 < kWords ? sizeof word : sizeof(T) - i * sizeof word;
    std::memcpy(bytes + i * sizeof word, &word, n);
  }

  // Release: a reader that loads a new word also sees the odd count before it.
  void store_words(const T& value) {
    const auto* bytes = reinterpret_cast<const unsigned char*>(&value);
    for (size_t i = 0; i < kWords; ++i) {
      uint64_t word = 0;
      const size_t n = i + 1 < kWords ? sizeof word : sizeof(T) - i * sizeof word;
      std::memcpy(&word, bytes + i * sizeof word, n);
      words_[i].store(word, std::memory_order_release);
    }
  }

  std::atomic<uint64_t> seq_{0};
  std::array<std::atomic<uint64_t>, kWords> words_{};
};

}  // namespace vtime
