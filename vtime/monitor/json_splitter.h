// JsonSplitter: cuts a byte stream (a QMP socket) into the JSON texts in it,
// however the bytes arrive: several texts in one read, one text over many.
// It tracks string quoting and bracket depth, and knows which bytes JSON
// allows outside strings; parsing is the caller's. A text longer than
// kMaxText, bytes outside any object, or a byte no JSON text can hold come
// out as a "bad" piece running to the next newline, so one broken message
// never poisons the ones after it and memory stays bounded.
#pragma once

#include <cstddef>
#include <string>
#include <string_view>
#include <vector>

namespace vtime::monitor {

class JsonSplitter {
 public:
  static constexpr size_t kMaxText = 64 * 1024;
  struct Piece {
    std::string text;
    bool bad = false;  // not a complete JSON text (too long, or stray bytes)
  };

  // Feeds bytes; returns the pieces they complete.
  std::vector<Piece> feed(std::string_view bytes);
  size_t buffered() const { return text_.size(); }

 private:
  void finish(std::vector<Piece>& out, bool bad);

  std::string text_;
  int depth_ = 0;
  bool in_string_ = false;
  bool escaped_ = false;
  bool skipping_ = false;  // inside a bad piece, until the next newline
};

}  // namespace vtime::monitor
