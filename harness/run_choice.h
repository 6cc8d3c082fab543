// Which runs a history report draws (`ptebench report`, nightly's pictures): one rule for a CSV
// read whole (html::ReportBuilder, which sees every row) and for a database, whose runs table
// names the runs before any sample is read (bench/cli/cmd_report.cc). The rule: the runs of one
// host and suite, those given; one not given is that of the latest run, in start order, that
// matches the other and holds the metric drawn (a night's exact pass is stored after its timed
// run and holds no ns_per_pte). Runs of other hosts or suites are counted and named, whatever
// they hold; a run of the host and suite drawn that holds no value of the metric is neither
// drawn nor counted.
#pragma once

#include <cstddef>
#include <functional>
#include <optional>
#include <set>
#include <span>
#include <string>
#include <string_view>
#include <vector>

namespace ptebench::html {

struct RunHeader {
  std::string_view started_utc, host, suite;
};

// Positions of `runs` in start order; runs that started in the same second keep the order given
// (first seen in a CSV, stored in a database).
std::vector<std::size_t> start_order(std::span<const RunHeader> runs);

// The run whose host and suite are drawn where one of them is not given: the last in `order`
// whose host and suite match those given (empty: any) and for which holds_metric(position) is
// true; nullopt if none. holds_metric is asked from the latest run back, and of no run before
// the one chosen (a database reads a run's samples to answer).
std::optional<std::size_t> latest_drawn(std::span<const RunHeader> runs,
                                        std::span<const std::size_t> order, std::string_view host,
                                        std::string_view suite,
                                        const std::function<bool(std::size_t)>& holds_metric);

// The runs of other hosts or suites than those drawn: how many, and which ("host, suite S" each,
// once, sorted).
struct LeftOut {
  std::size_t runs = 0;
  std::set<std::string> others;
  void add(std::string_view host, std::string_view suite, std::size_t n = 1);
};

}  // namespace ptebench::html
