#include "core/error.h"

namespace tg {

std::string_view CodeName(Code code) {
  switch (code) {
    case Code::kInternal:
      return "INTERNAL";
    case Code::kUsage:
      return "USAGE";
    case Code::kAmbiguousId:
      return "AMBIGUOUS_ID";
    case Code::kNotInitialized:
      return "NOT_INITIALIZED";
    case Code::kTaskNotFound:
      return "TASK_NOT_FOUND";
    case Code::kPlanNotFound:
      return "PLAN_NOT_FOUND";
    case Code::kGateNotFound:
      return "GATE_NOT_FOUND";
    case Code::kFileNotFound:
      return "FILE_NOT_FOUND";
    case Code::kTaskAlreadyClaimed:
      return "TASK_ALREADY_CLAIMED";
    case Code::kTaskNotRunnable:
      return "TASK_NOT_RUNNABLE";
    case Code::kInvalidTransition:
      return "INVALID_TRANSITION";
    case Code::kCycleDetected:
      return "CYCLE_DETECTED";
    case Code::kImportConflict:
      return "IMPORT_CONFLICT";
    case Code::kMergeConflict:
      return "MERGE_CONFLICT";
    case Code::kStoreBusy:
      return "STORE_BUSY";
    case Code::kValidationFailed:
      return "VALIDATION_FAILED";
    case Code::kParseFailed:
      return "PARSE_FAILED";
    case Code::kStoreCorrupt:
      return "STORE_CORRUPT";
    case Code::kSchemaTooNew:
      return "SCHEMA_TOO_NEW";
    case Code::kReadOnly:
      return "READ_ONLY";
    case Code::kIoError:
      return "IO_ERROR";
  }
  return "INTERNAL";
}

int ExitCode(Code code) {
  switch (code) {
    case Code::kInternal:
      return 1;
    case Code::kUsage:
    case Code::kAmbiguousId:
      return 2;
    case Code::kNotInitialized:
    case Code::kTaskNotFound:
    case Code::kPlanNotFound:
    case Code::kGateNotFound:
    case Code::kFileNotFound:
      return 3;
    case Code::kTaskAlreadyClaimed:
    case Code::kTaskNotRunnable:
    case Code::kInvalidTransition:
    case Code::kCycleDetected:
    case Code::kImportConflict:
    case Code::kMergeConflict:
      return 4;
    case Code::kStoreBusy:
      return 5;
    case Code::kValidationFailed:
    case Code::kParseFailed:
      return 6;
    case Code::kStoreCorrupt:
    case Code::kSchemaTooNew:
    case Code::kReadOnly:
    case Code::kIoError:
      return 7;
  }
  return 1;
}

}  // namespace tg
