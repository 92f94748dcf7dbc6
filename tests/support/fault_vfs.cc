// tg_fault: the tg binary with a SQLite VFS shim that makes writes fail, to test disk-full and
// I/O-error behaviour. TG_FAULT_WRITES=N lets N writes through, then every write fails with
// SQLITE_FULL (TG_FAULT_ERROR=ioerr: SQLITE_IOERR_WRITE). Test builds only.
#include <sqlite3.h>

#include <cstdlib>
#include <cstring>
#include <string>

#include "cli/cli.h"

namespace {

sqlite3_vfs* g_real = nullptr;
sqlite3_vfs g_vfs;
long g_writes_left = -1;  // -1: never fail
int g_error = SQLITE_FULL;

struct FaultFile {
  sqlite3_file base;
  sqlite3_file* real;  // allocated right after this struct
};

sqlite3_file* Real(sqlite3_file* f) { return reinterpret_cast<FaultFile*>(f)->real; }

int Close(sqlite3_file* f) { return Real(f)->pMethods->xClose(Real(f)); }
int Read(sqlite3_file* f, void* b, int n, sqlite3_int64 o) {
  return Real(f)->pMethods->xRead(Real(f), b, n, o);
}
int Write(sqlite3_file* f, const void* b, int n, sqlite3_int64 o) {
  if (g_writes_left == 0) return g_error;
  if (g_writes_left > 0) --g_writes_left;
  return Real(f)->pMethods->xWrite(Real(f), b, n, o);
}
int Truncate(sqlite3_file* f, sqlite3_int64 s) { return Real(f)->pMethods->xTruncate(Real(f), s); }
int Sync(sqlite3_file* f, int flags) { return Real(f)->pMethods->xSync(Real(f), flags); }
int FileSize(sqlite3_file* f, sqlite3_int64* s) { return Real(f)->pMethods->xFileSize(Real(f), s); }
int Lock(sqlite3_file* f, int l) { return Real(f)->pMethods->xLock(Real(f), l); }
int Unlock(sqlite3_file* f, int l) { return Real(f)->pMethods->xUnlock(Real(f), l); }
int CheckReserved(sqlite3_file* f, int* r) {
  return Real(f)->pMethods->xCheckReservedLock(Real(f), r);
}
int FileControl(sqlite3_file* f, int op, void* a) {
  return Real(f)->pMethods->xFileControl(Real(f), op, a);
}
int SectorSize(sqlite3_file* f) { return Real(f)->pMethods->xSectorSize(Real(f)); }
int DeviceCharacteristics(sqlite3_file* f) {
  return Real(f)->pMethods->xDeviceCharacteristics(Real(f));
}
int ShmMap(sqlite3_file* f, int i, int sz, int e, void volatile** p) {
  return Real(f)->pMethods->xShmMap(Real(f), i, sz, e, p);
}
int ShmLock(sqlite3_file* f, int o, int n, int fl) {
  return Real(f)->pMethods->xShmLock(Real(f), o, n, fl);
}
void ShmBarrier(sqlite3_file* f) { Real(f)->pMethods->xShmBarrier(Real(f)); }
int ShmUnmap(sqlite3_file* f, int d) { return Real(f)->pMethods->xShmUnmap(Real(f), d); }
int Fetch(sqlite3_file* f, sqlite3_int64 o, int n, void** p) {
  return Real(f)->pMethods->xFetch(Real(f), o, n, p);
}
int Unfetch(sqlite3_file* f, sqlite3_int64 o, void* p) {
  return Real(f)->pMethods->xUnfetch(Real(f), o, p);
}

const sqlite3_io_methods kMethods = {3,
                                     Close,
                                     Read,
                                     Write,
                                     Truncate,
                                     Sync,
                                     FileSize,
                                     Lock,
                                     Unlock,
                                     CheckReserved,
                                     FileControl,
                                     SectorSize,
                                     DeviceCharacteristics,
                                     ShmMap,
                                     ShmLock,
                                     ShmBarrier,
                                     ShmUnmap,
                                     Fetch,
                                     Unfetch};

int Open(sqlite3_vfs*, const char* name, sqlite3_file* f, int flags, int* out_flags) {
  auto* ff = reinterpret_cast<FaultFile*>(f);
  ff->real = reinterpret_cast<sqlite3_file*>(ff + 1);
  int rc = g_real->xOpen(g_real, name, ff->real, flags, out_flags);
  ff->base.pMethods = rc == SQLITE_OK && ff->real->pMethods ? &kMethods : nullptr;
  return rc;
}

void Install() {
  if (const char* n = std::getenv("TG_FAULT_WRITES")) g_writes_left = std::atol(n);
  if (const char* e = std::getenv("TG_FAULT_ERROR"); e && std::strcmp(e, "ioerr") == 0) {
    g_error = SQLITE_IOERR_WRITE;
  }
  g_real = sqlite3_vfs_find(nullptr);
  g_vfs = *g_real;
  g_vfs.zName = "tg-fault";
  g_vfs.szOsFile = static_cast<int>(sizeof(FaultFile)) + g_real->szOsFile;
  g_vfs.xOpen = Open;
  sqlite3_vfs_register(&g_vfs, /*makeDflt=*/1);
}

}  // namespace

int main(int argc, char** argv) {
  Install();
  return tg::cli::Main(argc, argv);
}
