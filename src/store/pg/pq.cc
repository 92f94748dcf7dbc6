#include "store/pg/pq.h"

#include <dlfcn.h>

#include <string>

namespace tg::store::pg {

Result<const Pq*> LoadPq() {
  static Pq pq;
  static std::string error;
  static bool loaded = [] {
    void* lib = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (!lib) {
      const char* why = dlerror();
      error = why ? why : "libpq.so.5 not found";
      return false;
    }
#define TG_PQ_LOAD(name, ret, params)                           \
  pq.name = reinterpret_cast<ret(*) params>(dlsym(lib, #name)); \
  if (!pq.name) {                                               \
    error = "libpq.so.5 lacks " #name;                          \
    return false;                                               \
  }
    TG_PQ_FUNCTIONS(TG_PQ_LOAD)
#undef TG_PQ_LOAD
    return true;
  }();
  if (!loaded) {
    return Fail(Code::kIoError,
                "cannot use a PostgreSQL graph: PostgreSQL's client library is missing (" + error +
                    "); install it (Debian: apt-get install libpq5)");
  }
  return &pq;
}

}  // namespace tg::store::pg
