// Plain-scalar typing follows js-yaml 4 (YAML 1.2 core schema plus timestamps).
#include "plan/scalar.h"

#include <gtest/gtest.h>

namespace tg::plan {
namespace {

TEST(ResolvePlain, Yaml11BooleansStayStrings) {
  for (const char* s : {"yes", "no", "on", "off", "y", "n", "Yes", "tRUE"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kString) << s;
  }
}

TEST(ResolvePlain, CoreBooleans) {
  for (const char* s : {"true", "True", "TRUE", "false", "False", "FALSE"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kBool) << s;
  }
}

TEST(ResolvePlain, Nulls) {
  for (const char* s : {"", "~", "null", "Null", "NULL"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kNull) << s;
  }
  EXPECT_EQ(ResolvePlain("nULL"), ScalarType::kString);
}

TEST(ResolvePlain, Integers) {
  for (const char* s :
       {"0", "-0", "7", "+7", "-12", "012", "1_000", "0x1F", "0x_1", "0o17", "0b101", "-0b1"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kInt) << s;
  }
}

TEST(ResolvePlain, NotIntegers) {
  for (const char* s : {"+", "-", "0x", "0b2", "0o8", "_1", "0_1x", "12a", "1 2", "0xG"}) {
    EXPECT_NE(ResolvePlain(s), ScalarType::kInt) << s;
  }
  EXPECT_EQ(ResolvePlain("1_"), ScalarType::kString);
  EXPECT_EQ(ResolvePlain("v1"), ScalarType::kString);
}

TEST(ResolvePlain, Floats) {
  for (const char* s : {"1.5", "-1.5", "1.", "1e3", "1.5E-3", ".5", ".5e2", ".inf", "-.Inf",
                        "+.INF", ".nan", ".NaN", "1_0.5"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kFloat) << s;
  }
  for (const char* s : {"1.2.3", "1e", "e3", "-.nan", "-.5", ".", "1.5_", "1.0.0-beta"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kString) << s;
  }
}

TEST(ResolvePlain, Timestamps) {
  for (const char* s :
       {"2026-03-01", "2026-03-01T10:00:00Z", "2026-3-1 10:00:00", "2026-03-01t1:00:00.5",
        "2026-03-01 10:00:00 +01:00", "2026-03-01T10:00:00-5"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kTimestamp) << s;
  }
  for (const char* s : {"2026-3-1", "2026-03-01x", "2026-03-01 10:00", "2026-03-01 10:00:00 ",
                        "26-03-01", "2026-03-01T10:00:00+123"}) {
    EXPECT_EQ(ResolvePlain(s), ScalarType::kString) << s;
  }
}

TEST(ResolvePlain, LongDigitRunsDoNotOverflow) {
  EXPECT_EQ(ResolvePlain(std::string(200000, '7')), ScalarType::kInt);
  EXPECT_EQ(ResolvePlain(std::string(200000, '7') + "x"), ScalarType::kString);
}

}  // namespace
}  // namespace tg::plan
