// Who acts, and what a named agent may still do once its claim was taken over (contract
// section 10): identities that hold when several agents share one graph.
#include <gtest/gtest.h>

#include "support/sandbox.h"

namespace tg::test {
namespace {

std::map<std::string, std::string> At(const std::string& hhmm, const std::string& agent) {
  return {{"TG_NOW", "2026-11-26T" + hhmm + ":00Z"}, {"TG_AGENT", agent}};
}

struct Taken {
  Sandbox sb;
  std::string t;
  Taken() {
    t = sb.NewTask(sb.NewPlan("Work"), "Build the parser");
    sb.Ok({"start", t, "--lease", "10m"}, At("10:00", "alice"));
    sb.Ok({"start", t}, At("10:30", "bob"));  // alice's lease ran out: bob takes over
  }
  size_t Events() const { return sb.Json({"show", t})["events"].size(); }
};

TEST(Identity, FormerClaimantsDoneIsRefusedNamingTheNewHolder) {
  Taken g;
  size_t events = g.Events();
  RunResult r = g.sb.Run({"done", g.t, "--evidence", "tests pass"}, At("10:31", "alice"));
  EXPECT_EQ(r.exit_code, 4) << r.err;
  EXPECT_EQ(json::parse(g.sb.Run({"done", g.t, "--evidence", "x", "--json"}, At("10:31", "alice"))
                            .out)[0]["error"]["code"],
            "TASK_ALREADY_CLAIMED");
  EXPECT_NE(r.err.find("taken over from you by bob"), std::string::npos) << r.err;
  EXPECT_NE(r.err.find("your evidence was not recorded"), std::string::npos) << r.err;
  EXPECT_EQ(g.sb.Json({"show", g.t})["status"], "doing");
  EXPECT_EQ(g.Events(), events);
}

TEST(Identity, FormerClaimantIsRefusedAlsoOnceTheNewHolderFinished) {
  Taken g;
  g.sb.Ok({"done", g.t, "--evidence", "bob's proof"}, At("10:40", "bob"));
  RunResult r = g.sb.Run({"done", g.t, "--evidence", "alice's proof"}, At("10:41", "alice"));
  EXPECT_EQ(r.exit_code, 4) << r.out << r.err;
  EXPECT_NE(r.err.find("was finished by bob"), std::string::npos) << r.err;
  // The new holder's own repeat is still the idempotent "already done".
  RunResult again = g.sb.Run({"done", g.t, "--evidence", "again"}, At("10:42", "bob"));
  EXPECT_EQ(again.exit_code, 0) << again.err;
  EXPECT_NE(again.out.find("already done"), std::string::npos) << again.out;
}

TEST(Identity, FormerClaimantsNoteAndHeartbeatAreRefused) {
  Taken g;
  RunResult note = g.sb.Run({"note", g.t, "--msg", "half way"}, At("10:31", "alice"));
  EXPECT_EQ(note.exit_code, 4) << note.err;
  EXPECT_NE(note.err.find("your note was not recorded"), std::string::npos) << note.err;
  RunResult hb = g.sb.Run({"heartbeat", g.t}, At("10:31", "alice"));
  EXPECT_EQ(hb.exit_code, 4) << hb.err;
  EXPECT_NE(hb.err.find("taken over from you by bob"), std::string::npos) << hb.err;
  // --force records the note anyway: the former claimant's words are kept when asked.
  g.sb.Ok({"note", g.t, "--msg", "notes for bob", "--force"}, At("10:32", "alice"));
  EXPECT_EQ(g.sb.Json({"show", g.t})["notes"][0]["body"]["message"], "notes for bob");
}

TEST(Identity, ClaimingAgainEndsTheTakeover) {
  Taken g;
  g.sb.Ok({"release", g.t}, At("10:35", "bob"));
  g.sb.Ok({"start", g.t}, At("10:36", "alice"));
  g.sb.Ok({"done", g.t, "--evidence", "mine again"}, At("10:37", "alice"));
  EXPECT_EQ(g.sb.Json({"show", g.t})["status"], "done");
}

TEST(Identity, DefaultClaimsWarnOnStderrOnly) {
  Sandbox sb;
  std::string t = sb.NewTask(sb.NewPlan("Solo"), "Alone");
  RunResult r = sb.Run({"start", t, "--json"}, {{"TG_AGENT", ""}});
  ASSERT_EQ(r.exit_code, 0) << r.err;
  EXPECT_NE(r.err.find("warning: claiming as `default`"), std::string::npos) << r.err;
  EXPECT_TRUE(json::accept(r.out)) << r.out;
  RunResult named = sb.Run({"next", "--claim", "--json"}, {{"TG_AGENT", "carol"}});
  EXPECT_EQ(named.err.find("warning"), std::string::npos) << named.err;
  // `default` stays permissive: a person working alone finishes what "default" started.
  sb.Ok({"done", t, "--evidence", "done by hand"}, {{"TG_AGENT", ""}});
}

TEST(Identity, CodexThreadGivesEachSessionItsOwnStableName) {
  Sandbox sb;
  std::string plan = sb.NewPlan("Two sessions");
  std::string t = sb.NewTask(plan, "One task");
  std::map<std::string, std::string> one{
      {"TG_AGENT", ""}, {"CODEX_THREAD_ID", "0199A1B2-C3D4-7e5f-8a9b-0c1d2e3f4a5b"}};
  std::map<std::string, std::string> two{
      {"TG_AGENT", ""}, {"CODEX_THREAD_ID", "0199ffee-0000-7000-8000-000000000000"}};
  RunResult first = sb.Run({"start", t, "--json"}, one);
  ASSERT_EQ(first.exit_code, 0) << first.err;
  EXPECT_EQ(first.err.find("warning"), std::string::npos) << first.err;
  EXPECT_EQ(sb.Json({"show", t})["claimed_by"], "codex-0199a1b2");
  // Another session is another agent: refused, where two "default"s would both succeed.
  RunResult second = sb.Run({"start", t}, two);
  EXPECT_EQ(second.exit_code, 4) << second.err;
  EXPECT_NE(second.err.find("codex-0199a1b2"), std::string::npos) << second.err;
  // TG_AGENT and --agent still win over the harness.
  one["TG_AGENT"] = "named";
  std::string other = sb.NewTask(plan, "Other");
  sb.Ok({"start", other}, one);
  EXPECT_EQ(sb.Json({"show", other})["claimed_by"], "named");
}

}  // namespace
}  // namespace tg::test
