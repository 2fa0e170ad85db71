// The configuration a snapshot or a replay log records: everything that shapes
// the machine or what its guest observes (harts, RAM, icount, timer devices),
// as named text values, so that a file is only used on a machine it fits and a
// mismatch is named in the option's own words.
#pragma once

#include <string>
#include <utility>
#include <vector>

#include "vtime/machine/board.h"
#include "vtime/state/state_stream.h"

namespace vtime {

using BoardConfig = std::vector<std::pair<std::string, std::string>>;

BoardConfig config_of(const BoardOptions& options);
void save_config(const BoardConfig& config, StateWriter& out);
// "" when the recorded configuration is `here`; otherwise one sentence naming
// the first difference. `what` names the file ("the snapshot") and `made` how
// it was made ("saved"): "the snapshot was saved with harts (--smp) 2, but ...".
std::string check_config(const BoardConfig& here, StateReader& in, const std::string& what,
                         const std::string& made);

}  // namespace vtime
