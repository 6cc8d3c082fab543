// The op registry (workloads/native/native_op.h): one row per enumerator, in enumerator order,
// names that round-trip and that the suites use.
#include <catch2/catch.hpp>

#include <set>
#include <string>

#include "workloads/native/native_op.h"

namespace {

using ptebench::native::native_ops;
using ptebench::native::NativeOp;
using ptebench::native::op_info;
using ptebench::native::parse_native_op;

TEST_CASE("every native op has one row - named native_* - that parses back", "[native][op]") {
  std::set<std::string> names;
  for (const auto& info : native_ops()) {
    CHECK(op_info(info.op).name == info.name);
    CHECK(info.name.substr(0, 7) == "native_");
    CHECK_FALSE(info.summary.empty());
    CHECK_FALSE(info.kernel_walk.empty());
    REQUIRE(parse_native_op(info.name).has_value());
    CHECK(*parse_native_op(info.name) == info.op);
    names.insert(std::string(info.name));
  }
  CHECK(names.size() == 7);
  CHECK(names == std::set<std::string>{"native_fork", "native_munmap", "native_dontneed",
                                       "native_cold", "native_pageout", "native_clear_refs",
                                       "native_mremap"});
}

TEST_CASE("unknown op names do not parse", "[native][op]") {
  CHECK_FALSE(parse_native_op("fork").has_value());
  CHECK_FALSE(parse_native_op("native_").has_value());
  CHECK_FALSE(parse_native_op("").has_value());
  CHECK_FALSE(parse_native_op("native_fork ").has_value());
}

TEST_CASE("each op cites the kernel walk it exercises", "[native][op]") {
  CHECK(op_info(NativeOp::fork).kernel_walk.find("copy_pte_range") != std::string_view::npos);
  CHECK(op_info(NativeOp::munmap).kernel_walk.find("zap_pte_range") != std::string_view::npos);
  CHECK(op_info(NativeOp::dontneed).kernel_walk.find("zap_pte_range") != std::string_view::npos);
  for (const NativeOp op : {NativeOp::cold, NativeOp::pageout})
    CHECK(op_info(op).kernel_walk.find("madvise_cold_or_pageout_pte_range") !=
          std::string_view::npos);
  CHECK(op_info(NativeOp::clear_refs).kernel_walk.find("clear_refs_pte_range") !=
        std::string_view::npos);
  CHECK(op_info(NativeOp::mremap).kernel_walk.find("move_ptes") != std::string_view::npos);
}

}  // namespace
