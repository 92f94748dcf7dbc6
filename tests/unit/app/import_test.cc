// ImportPlan in-process: what the CLI tests cannot arrange, such as ids that collide.
#include "app/import.h"

#include <fmt/format.h>

#include <set>

#include "unit/app/app_test_util.h"

namespace tg::app {
namespace {

// UUIDs whose first 6 hex digits are all the same, so every short id collides at 6 digits.
class CollidingIds final : public IdSource {
 public:
  std::string NewUuid() override {
    ++n_;
    return fmt::format("abcdef{:02x}-0000-4000-8000-{:012x}", n_ % 256, n_);
  }

 private:
  uint64_t n_ = 0;
};

class ImportTest : public AppTest {
 protected:
  Result<Written<ImportOutcome>> Import(Context& c, const std::string& text) {
    auto doc = plan::ParsePlan(text, "plan.md", plan::Format::kCursor);
    if (!doc) return std::unexpected(doc.error());
    ImportOptions o;
    o.file_label = o.source_path = "/plans/plan.md";
    return ImportPlan(c, *doc, o);
  }
};

// The new tasks of one import get their short ids as they are written, so ids whose prefixes
// collide get longer short ids instead of a UNIQUE failure.
TEST_F(ImportTest, NewTasksWithCollidingPrefixesGetDistinctShortIds) {
  CollidingIds ids;
  Context c{*store_, ids};
  std::string text = "---\nname: Colliding\ntodos:\n";
  for (int i = 0; i < 20; ++i) {
    text += fmt::format("  - id: t{}\n    content: Task {}\n", i, i);
    if (i > 0) text += fmt::format("    blockedBy: [t{}]\n", i - 1);
  }
  text += "---\n";
  auto r = Import(c, text);
  ASSERT_TRUE(r) << r.error().message;
  EXPECT_EQ(r->value.created, 20);
  auto tasks = read()->PlanTasks(r->value.plan.plan_id);
  ASSERT_TRUE(tasks);
  std::set<std::string> short_ids;
  for (const auto& t : *tasks) short_ids.insert(t.hash_id);
  EXPECT_EQ(short_ids.size(), 20u);
  EXPECT_TRUE(short_ids.contains("tg-abcdef"));
}

}  // namespace
}  // namespace tg::app
