// The status shape's hours: cut to one decimal, never rounded up, a hair under a tenth kept.
#include <gtest/gtest.h>

#include "api/json.h"
#include "app/views.h"

namespace tg::api {
namespace {

double TotalHours(double hours) {
  app::StatusSummary s;
  s.total_agent_hours = hours;
  return StatusJson(s)["total_agent_hours"].get<double>();
}

TEST(StatusJson, AgentHoursAreCutToTenthsAndExactTenthsStayExact) {
  EXPECT_EQ(TotalHours(2.4999999999999996), 2.5);  // a sum of float differences: once 2.4
  EXPECT_EQ(TotalHours(2.3), 2.3);
  EXPECT_EQ(TotalHours(0.7), 0.7);
  EXPECT_EQ(TotalHours(2.5), 2.5);
  EXPECT_EQ(TotalHours(2.59), 2.5);  // cut, not rounded
  EXPECT_EQ(TotalHours(0.04), 0.0);
  EXPECT_EQ(TotalHours(0), 0.0);
}

}  // namespace
}  // namespace tg::api
