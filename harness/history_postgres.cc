#include "harness/history_postgres.h"

#include "harness/input_error.h"

namespace ptebench::history {

std::string redact_password(std::string_view uri) {
  return std::string(uri);
}

bool postgres_available() {
  return false;
}

std::unique_ptr<Store> open_postgres_store(const std::string& uri) {
  throw InputError(redact_password(uri) + ": PostgreSQL histories are not built in yet");
}

}  // namespace ptebench::history
