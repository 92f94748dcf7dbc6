// tg doctor: check the store; exit 0 when clean, 7 (STORE_CORRUPT) with the findings otherwise.
#include <fmt/format.h>
#include <fmt/ranges.h>

#include "app/doctor.h"
#include "cli/commands.h"
#include "cli/render.h"

namespace tg::cli {

void AddDoctorCommand(CLI::App& app, Registry& r, std::string_view want) {
  if (!Wants(want, "doctor")) return;
  auto* sub = app.add_subcommand("doctor", "Check integrity, schema, graph invariants and history");
  r.On(sub, [](Session& s) -> Result<int> {
    TG_ASSIGN(auto* ctx, s.Ctx());
    TG_ASSIGN(auto findings, app::Doctor(*ctx));
    if (s.Json()) {
      PrintJson(s, api::DoctorJson(findings));
    } else if (findings.empty()) {
      s.io.out << "ok: integrity, schema, graph invariants and history replay all check out\n";
    } else {
      for (const auto& f : findings) {
        s.io.out << f.check << ": " << f.message;
        if (!f.rows.empty()) s.io.out << ": " << fmt::format("{}", fmt::join(f.rows, ", "));
        s.io.out << '\n';
      }
    }
    if (findings.empty()) return 0;
    s.io.err << "tg doctor: " << findings.size()
             << " problem(s) found; see above (restore .taskgraph/tg.db from a backup if the "
                "integrity check failed)\n";
    return ExitCode(Code::kStoreCorrupt);
  });
}

}  // namespace tg::cli
