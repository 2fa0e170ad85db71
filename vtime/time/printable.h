// printable(): user text as vtime quotes it in an error (the command, the monitor). Control
// characters (a newline in an option value or a file name) are escaped, so an
// error message stays one line whatever the user typed.
#pragma once

#include <string>
#include <string_view>

namespace vtime {

// Bytes below 0x20 and 0x7f become \n, \r, \t or \xNN; everything else is kept.
std::string printable(std::string_view text);

}  // namespace vtime
