#include "vtime/monitor/json_splitter.h"

namespace vtime::monitor {
namespace {

// JSON outside strings: structure, white space, numbers, true/false/null. A
// newline inside an unfinished text does not end it (a client may pretty-print).
bool may_appear_outside_strings(char c) {
  switch (c) {
    case '{': case '}': case '[': case ']': case ':': case ',':
    case ' ': case '\t': case '\r': case '\n':
    case '-': case '+': case '.':
    case 'e': case 'E': case 't': case 'r': case 'u': case 'f': case 'a': case 'l': case 's': case 'n':
      return true;
    default:
      return c >= '0' && c <= '9';
  }
}

}  // namespace

void JsonSplitter::finish(std::vector<Piece>& out, bool bad) {
  out.push_back({std::move(text_), bad});
  text_.clear();
  depth_ = 0;
  in_string_ = false;
  escaped_ = false;
}

std::vector<JsonSplitter::Piece> JsonSplitter::feed(std::string_view bytes) {
  std::vector<Piece> out;
  for (const char c : bytes) {
    if (skipping_) {
      if (c == '\n') {
        skipping_ = false;
        finish(out, true);
      } else if (text_.size() < 80) {
        text_.push_back(c);  // a little of it, for the error message
      }
      continue;
    }
    if (depth_ == 0 && text_.empty()) {
      if (c == ' ' || c == '\t' || c == '\r' || c == '\n') continue;
      if (c != '{' && c != '[') {
        skipping_ = true;
        text_.push_back(c);
        continue;
      }
    }
    text_.push_back(c);
    if (in_string_) {
      if (escaped_) escaped_ = false;
      else if (c == '\\') escaped_ = true;
      else if (c == '"') in_string_ = false;
    } else if (c == '"') {
      in_string_ = true;
    } else if (!may_appear_outside_strings(c)) {
      skipping_ = true;  // an invalid token: the rest of the line goes with it
      continue;
    } else if (c == '{' || c == '[') {
      ++depth_;
    } else if (c == '}' || c == ']') {
      if (--depth_ == 0) {
        finish(out, false);
        continue;
      }
    }
    if (text_.size() > kMaxText) {
      text_.resize(80);
      skipping_ = true;  // the rest of it, to the next newline, is dropped
    }
  }
  return out;
}

}  // namespace vtime::monitor
