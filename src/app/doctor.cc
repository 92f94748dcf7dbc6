#include "app/doctor.h"

namespace tg::app {

Result<std::vector<Finding>> Doctor(Context& ctx) { return store::Diagnose(ctx.store); }

}  // namespace tg::app
