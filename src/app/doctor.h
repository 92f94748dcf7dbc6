// tg doctor: the store's self-checks, as a use case.
#pragma once

#include <vector>

#include "app/context.h"
#include "store/doctor.h"

namespace tg::app {

using store::Finding;
Result<std::vector<Finding>> Doctor(Context& ctx);

}  // namespace tg::app
