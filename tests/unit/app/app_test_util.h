// An in-process graph for use-case tests: a temp store, a fixed clock, sequential ids.
#pragma once

#include <gtest/gtest.h>
#include <stdlib.h>

#include <filesystem>
#include <memory>

#include "app/context.h"
#include "app/graph_ops.h"
#include "store/store.h"
#include "support/temp_dir.h"

namespace tg::app {

class AppTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_TRUE(store::Init(dir_, {}));
    store_ = std::move(*store::Open(dir_, {}, clock_));
    ctx_ = std::make_unique<Context>(Context{*store_, ids_});
    ctx_->agent = "alice";
    ctx_->agent_explicit = true;
  }

  Plan MakePlan(const std::string& title) { return CreatePlan(*ctx_, {title, "", {}, {}})->value; }
  Task MakeTask(const Plan& p, const std::string& title) {
    TaskFields f;
    f.title = title;
    auto t = CreateTask(*ctx_, p.plan_id, f);
    EXPECT_TRUE(t) << t.error().message;
    return t->value;
  }
  Context& ctx() { return *ctx_; }
  // A fresh snapshot of the store, for checking what a use case wrote.
  std::unique_ptr<store::Reader> read() {
    auto r = store_->Read();
    EXPECT_TRUE(r) << r.error().message;
    return std::move(*r);
  }

  FixedClock clock_{1'700'000'000'000};
  SequentialIdSource ids_;
  test::TempDir tmp_{"tg-app"};
  const std::string& dir_ = tmp_.path();
  std::unique_ptr<store::Store> store_;
  std::unique_ptr<Context> ctx_;
};

}  // namespace tg::app
