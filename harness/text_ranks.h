// Sorting many records by text columns that hold few distinct values (a results table's
// workload, layout, metric, ...): each column's distinct values are ranked once, in
// std::string order, and records are then compared by those ranks, integers instead of
// strings. Equal texts get equal ranks, so the order is the one comparing the texts gives.
#pragma once

#include <algorithm>
#include <cstdint>
#include <string_view>
#include <unordered_map>
#include <vector>

namespace ptebench {

class TextRanks {
 public:
  // An id of `text` (dense, in order of first sight); the text must outlive this object.
  std::uint32_t id(std::string_view text) {
    if (!values_.empty() && values_[last_] == text) return last_;  // runs of one value
    const auto [it, fresh] = ids_.try_emplace(text, static_cast<std::uint32_t>(values_.size()));
    if (fresh) values_.push_back(text);
    last_ = it->second;
    return last_;
  }

  // rank[id]: the position of the id's text among the distinct texts, in std::string order.
  std::vector<std::uint32_t> ranks() const {
    std::vector<std::uint32_t> order(values_.size());
    for (std::uint32_t i = 0; i < order.size(); ++i) order[i] = i;
    std::sort(order.begin(), order.end(),
              [this](std::uint32_t x, std::uint32_t y) { return values_[x] < values_[y]; });
    std::vector<std::uint32_t> rank(values_.size());
    for (std::uint32_t r = 0; r < order.size(); ++r) rank[order[r]] = r;
    return rank;
  }

 private:
  std::unordered_map<std::string_view, std::uint32_t> ids_;
  std::vector<std::string_view> values_;
  std::uint32_t last_ = 0;
};

}  // namespace ptebench
