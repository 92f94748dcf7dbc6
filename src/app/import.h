// Bringing a plan document into the graph (`tg import`, `tg template apply`): one transaction,
// one commit (none when nothing changed), tasks matched by their key within the plan, statuses
// only ever moved forward (contract section 5).
#pragma once

#include <optional>
#include <string>
#include <vector>

#include "app/context.h"
#include "core/model.h"
#include "plan/plan.h"

namespace tg::app {

struct ImportOptions {
  std::optional<std::string> plan_ref;  // --plan: id or title to import into (or create)
  bool force = false;                   // keep tasks whose todo left the file
  bool replace = false;                 // cancel tasks whose todo left the file
  std::string source_path;              // absolute path of the file, remembered on the plan
  std::string file_label;               // the file as named by the user, for messages
  std::string verb = "import";          // "import" or "template apply", for messages
};

// A change the file asked for that tg refused, because it would move a task backwards or take
// a claim away. Reported, never applied.
struct ImportConflict {
  std::string key, hash_id, stored_status, file_status, reason;
};

struct ImportOutcome {
  Plan plan;
  bool plan_created = false;
  int created = 0, updated = 0, unchanged = 0, canceled = 0;
  int edges_added = 0, edges_removed = 0;
  std::vector<std::string> kept_keys;  // unmatched tasks left alone (--force)
  std::vector<ImportConflict> conflicts;
};

Result<Written<ImportOutcome>> ImportPlan(Context& ctx, const plan::Plan& doc,
                                          const ImportOptions& opts);

}  // namespace tg::app
