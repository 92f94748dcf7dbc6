#include "core/file.h"

#include <fcntl.h>
#include <fmt/format.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>
#include <cerrno>
#include <cstring>

namespace tg {

namespace {

struct Fd {
  int fd;
  ~Fd() {
    if (fd >= 0) close(fd);
  }
};

Error WriteError(const std::string& path, int err) {
  Code code = err == EACCES || err == EROFS || err == EPERM ? Code::kReadOnly : Code::kIoError;
  std::string hint = err == ENOSPC || err == EDQUOT || err == EFBIG
                         ? "; free some disk space and retry"
                     : code == Code::kReadOnly ? "; check the folder's permissions"
                                               : "";
  return Error{code, fmt::format("cannot write {}: {}{}", path, std::strerror(err), hint)};
}

std::string Folder(const std::string& path) {
  auto slash = path.find_last_of('/');
  return slash == std::string::npos ? "." : slash == 0 ? "/" : path.substr(0, slash);
}

}  // namespace

Status WriteFileAtomically(const std::string& path, std::string_view content, bool replace,
                           bool* kept) {
  if (kept) *kept = false;
  std::string tmp = fmt::format("{}.tmp-{}", path, getpid());
  Fd f{open(tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW, 0644)};
  if (f.fd < 0) return std::unexpected(WriteError(path, errno));
  auto fail = [&](int err) {
    unlink(tmp.c_str());
    return std::unexpected(WriteError(path, err));
  };
  for (size_t done = 0; done < content.size();) {
    ssize_t n = write(f.fd, content.data() + done, content.size() - done);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) return fail(errno);
    done += static_cast<size_t>(n);
  }
  if (fsync(f.fd) != 0) return fail(errno);
  if (close(f.fd) != 0) {
    f.fd = -1;
    return fail(errno);
  }
  f.fd = -1;
  if (replace) {
    if (rename(tmp.c_str(), path.c_str()) != 0) return fail(errno);
  } else {
    int rc = link(tmp.c_str(), path.c_str());
    int err = errno;
    unlink(tmp.c_str());
    if (rc != 0 && err != EEXIST) return std::unexpected(WriteError(path, err));
    if (rc != 0 && kept) *kept = true;
  }
  // The rename is durable only once the folder's entry is on disk.
  Fd dir{open(Folder(path).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC)};
  if (dir.fd >= 0 && fsync(dir.fd) != 0 && errno != EINVAL) {
    return std::unexpected(WriteError(path, errno));
  }
  return Ok();
}

std::string FormatBytes(size_t n) {
  if (n >= 1024 * 1024 && n % (1024 * 1024) == 0) return fmt::format("{} MiB", n / (1024 * 1024));
  if (n >= 1024 && n % 1024 == 0) return fmt::format("{} KiB", n / 1024);
  return fmt::format("{} bytes", n);
}

Result<std::string> ReadBoundedFile(const std::string& path, const FileRules& rules) {
  // O_NONBLOCK: opening a FIFO must not wait for a writer before we can look at what it is.
  Fd f{open(path.c_str(), O_RDONLY | O_NONBLOCK | O_CLOEXEC)};
  if (f.fd < 0) {
    return Fail(rules.missing,
                fmt::format("cannot read {} {}: {}", rules.what, path, std::strerror(errno)));
  }
  struct stat st;
  if (fstat(f.fd, &st) != 0) {
    return Fail(rules.missing,
                fmt::format("cannot read {} {}: {}", rules.what, path, std::strerror(errno)));
  }
  if (S_ISDIR(st.st_mode)) {
    return Fail(rules.missing,
                fmt::format("cannot read {} {}: it is a directory", rules.what, path));
  }
  if (!S_ISREG(st.st_mode)) {
    return Fail(rules.refused,
                fmt::format("{} {} is not a regular file (a device, pipe or socket); give a "
                            "file",
                            rules.what, path));
  }
  auto too_large = [&] {
    return Fail(rules.refused,
                fmt::format("{} {} is larger than {}, the limit for a {}", rules.what, path,
                            FormatBytes(rules.max_bytes), rules.what));
  };
  if (static_cast<size_t>(st.st_size) > rules.max_bytes) return too_large();
  // Read at most one byte past the limit: a file that grows while we read is refused too.
  std::string text;
  text.resize(static_cast<size_t>(st.st_size) + 1);
  size_t got = 0;
  for (;;) {
    if (got == text.size()) {
      if (text.size() > rules.max_bytes) return too_large();
      text.resize(std::min(text.size() * 2, rules.max_bytes + 1));
    }
    ssize_t n = read(f.fd, text.data() + got, text.size() - got);
    if (n < 0 && errno == EINTR) continue;
    if (n < 0) {
      return Fail(rules.missing,
                  fmt::format("cannot read {} {}: {}", rules.what, path, std::strerror(errno)));
    }
    if (n == 0) break;
    got += static_cast<size_t>(n);
  }
  if (got > rules.max_bytes) return too_large();
  text.resize(got);
  return text;
}

}  // namespace tg
