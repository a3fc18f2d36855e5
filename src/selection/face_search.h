// Whole panels on a face of the fractional panels, found quickly.
//
// The fractional panels are the points q (counts per type, need not be
// whole) that keep the panel size, every quota, every type's bounds and the
// household rule. When a stage of LEXIMIN starts, the linear relaxation
// gives the best level any lottery could reach and multipliers that prove
// it (PanelOracle::relaxed_level); every panel of a lottery that reaches
// that level is a best panel under those multipliers, so it lies on their
// optimal face (PanelOracle::optimal_face). On the volunteer pools we
// measured, the relaxation's level is reached, and a few thousand whole
// panels drawn from that face, each type favoured as much as the
// relaxation's own panel holds it, are enough for the linear program of
// selection/leximin.h to reach it in a handful of rounds (figures:
// docs/decisions/1000-selection-at-scale.md). The draws are columns only;
// the stage is still proven by the run's own bound.
#ifndef COPRODUCE_SELECTION_FACE_SEARCH_H_
#define COPRODUCE_SELECTION_FACE_SEARCH_H_

#include <algorithm>
#include <cstdint>
#include <limits>
#include <random>
#include <vector>

#include "selection/model.h"
#include "selection/panel_oracle.h"
#include "selection/types.h"

namespace coproduce::selection {

// The rules of a panel as rows over types: the panel size (row 0), one row
// per category value (categories in order, values in order), one per shared
// household; every coefficient is 1. The same order as PanelOracle's rows.
struct PanelRow {
  std::vector<int> types;
  int lo = 0;
  int hi = 0;
  int category = -1;  // the category of a value's row; -1 otherwise
};
std::vector<PanelRow> panel_rows(const Problem& problem, const TypeModel& types);

// Depth-first search for a whole panel on a face: every type's count and
// every row's total held between given bounds (equal where the face holds
// a rule with equality). It branches on the row furthest from its least
// total, trying the types the point holds most of first: "one more of this
// type", or "no more of it below this node".
class FaceSearch {
 public:
  FaceSearch(const Problem& problem, const TypeModel& types)
      : rows_(panel_rows(problem, types)), categories_(problem.categories.size()) {
    const int T = types.size();
    rows_of_.resize(static_cast<size_t>(T));
    for (size_t r = 0; r < rows_.size(); ++r) {
      for (int t : rows_[r].types) rows_of_[static_cast<size_t>(t)].push_back(static_cast<int>(r));
    }
  }

  const std::vector<PanelRow>& rows() const { return rows_; }

  // A whole panel within the bounds of a face (per type, per row of
  // rows()), trying the types `prefer` ranks highest first; false when none
  // is found within `max_nodes` nodes. Adds the nodes searched to *nodes.
  bool find(const PanelOracle::Face& face, const std::vector<double>& prefer, long max_nodes, TypePanel* out,
            long* nodes) {
    return find(face.type_lo, face.type_hi, face.row_lo, face.row_hi, prefer, max_nodes, out, nodes);
  }
  bool find(const std::vector<int>& type_lo, const std::vector<int>& type_hi, const std::vector<int>& row_lo,
            const std::vector<int>& row_hi, const std::vector<double>& prefer, long max_nodes, TypePanel* out,
            long* nodes) {
    const size_t T = type_lo.size();
    const size_t R = rows_.size();
    hi_ = type_hi;
    need_lo_ = row_lo;
    need_hi_ = row_hi;
    panel_ = type_lo;
    closed_.assign(T, false);
    count_.assign(R, 0);
    cap_.assign(R, 0);
    undo_.clear();
    for (size_t t = 0; t < T; ++t) {
      if (type_lo[t] >= type_hi[t]) closed_[t] = true;
      for (int r : rows_of_[t]) {
        count_[static_cast<size_t>(r)] += panel_[t];
        if (!closed_[t]) cap_[static_cast<size_t>(r)] += hi_[t] - panel_[t];
      }
    }
    order_.resize(R);
    for (size_t r = 0; r < R; ++r) {
      order_[r].clear();
      for (int t : rows_[r].types) {
        if (!closed_[static_cast<size_t>(t)]) order_[r].push_back(t);
      }
      std::stable_sort(order_[r].begin(), order_[r].end(),
                       [&](int a, int b) { return prefer[static_cast<size_t>(a)] > prefer[static_cast<size_t>(b)]; });
    }
    for (size_t r = 0; r < R; ++r) {
      if (count_[r] > need_hi_[r]) return false;
      if (count_[r] == need_hi_[r]) close_row(r);
    }
    nodes_ = 0;
    limit_ = max_nodes;
    const bool found = dfs();
    *nodes += nodes_;
    if (found) *out = panel_;
    return found;
  }

 private:
  void close(int t) {
    const auto i = static_cast<size_t>(t);
    closed_[i] = true;
    for (int r : rows_of_[i]) cap_[static_cast<size_t>(r)] -= hi_[i] - panel_[i];
    undo_.push_back(t);
  }
  void undo_to(size_t mark) {
    while (undo_.size() > mark) {
      const auto i = static_cast<size_t>(undo_.back());
      undo_.pop_back();
      closed_[i] = false;
      for (int r : rows_of_[i]) cap_[static_cast<size_t>(r)] += hi_[i] - panel_[i];
    }
  }
  // A row at its most: none of its types may grow below this node.
  void close_row(size_t r) {
    for (int t : order_[r]) {
      if (!closed_[static_cast<size_t>(t)]) close(t);
    }
  }
  void add(int t) {
    const auto i = static_cast<size_t>(t);
    ++panel_[i];
    for (int r : rows_of_[i]) {
      ++count_[static_cast<size_t>(r)];
      --cap_[static_cast<size_t>(r)];
    }
    for (int r : rows_of_[i]) {
      if (count_[static_cast<size_t>(r)] == need_hi_[static_cast<size_t>(r)]) close_row(static_cast<size_t>(r));
    }
  }
  void remove(int t) {
    const auto i = static_cast<size_t>(t);
    --panel_[i];
    for (int r : rows_of_[i]) {
      --count_[static_cast<size_t>(r)];
      ++cap_[static_cast<size_t>(r)];
    }
  }

  // Whether the bounds can still all be met: every row can still reach its
  // least, and in each category the values' shortfalls fit in the seats
  // left and their room can fill them.
  bool feasible() const {
    for (size_t r = 0; r < rows_.size(); ++r) {
      if (count_[r] + cap_[r] < need_lo_[r]) return false;
    }
    const int left = need_lo_[0] - count_[0];  // row 0 is the panel size
    std::vector<int>& short_by = scratch_short_;
    std::vector<int>& room = scratch_room_;
    short_by.assign(categories_, 0);
    room.assign(categories_, 0);
    for (size_t r = 1; r < rows_.size(); ++r) {
      const int c = rows_[r].category;
      if (c < 0) continue;
      short_by[static_cast<size_t>(c)] += std::max(0, need_lo_[r] - count_[r]);
      room[static_cast<size_t>(c)] += std::min(need_hi_[r] - count_[r], cap_[r]);
    }
    for (size_t c = 0; c < categories_; ++c) {
      if (short_by[c] > left || room[c] < left) return false;
    }
    return true;
  }

  // When a category's shortfalls take every seat left, the seats must all
  // go to its values that are short: no other type may grow. Repeated until
  // nothing more closes; false when the bounds can no longer be met.
  bool propagate() {
    while (true) {
      if (!feasible()) return false;
      const int left = need_lo_[0] - count_[0];
      bool closed_any = false;
      for (size_t c = 0; c < categories_; ++c) {
        if (scratch_short_[c] != left) continue;
        for (size_t r = 1; r < rows_.size(); ++r) {
          if (rows_[r].category != static_cast<int>(c) || count_[r] < need_lo_[r]) continue;
          for (int t : order_[r]) {
            if (!closed_[static_cast<size_t>(t)]) {
              close(t);
              closed_any = true;
            }
          }
        }
      }
      if (!closed_any) return true;
    }
  }

  bool dfs() {
    if (++nodes_ > limit_) return false;
    const size_t entry = undo_.size();
    if (!propagate()) {
      undo_to(entry);
      return false;
    }
    size_t branch = rows_.size();
    int tightest = std::numeric_limits<int>::max();
    for (size_t r = 0; r < rows_.size(); ++r) {
      const int short_by = need_lo_[r] - count_[r];
      if (short_by <= 0) continue;
      const int spare = cap_[r] - short_by;
      if (spare < tightest) {
        tightest = spare;
        branch = r;
      }
    }
    if (branch == rows_.size()) return true;  // every least met, no most passed
    const size_t mark = entry;
    for (int t : order_[branch]) {
      const auto i = static_cast<size_t>(t);
      if (closed_[i] || panel_[i] >= hi_[i]) continue;
      const size_t before = undo_.size();
      add(t);
      if (dfs()) return true;
      if (nodes_ > limit_) break;
      undo_to(before);
      remove(t);
      close(t);
      if (count_[branch] + cap_[branch] < need_lo_[branch]) break;
    }
    undo_to(mark);
    return false;
  }

  std::vector<PanelRow> rows_;
  size_t categories_;
  std::vector<std::vector<int>> rows_of_;  // per type
  std::vector<std::vector<int>> order_;    // per row: its open types, preferred first
  std::vector<int> hi_;
  std::vector<int> need_lo_;
  std::vector<int> need_hi_;
  std::vector<int> panel_;
  std::vector<bool> closed_;
  std::vector<int> count_;
  std::vector<int> cap_;
  std::vector<int> undo_;
  long nodes_ = 0;
  long limit_ = 0;
  mutable std::vector<int> scratch_short_;
  mutable std::vector<int> scratch_room_;
};



// Up to `count` whole panels on `face`, drawn at random so that types the
// fractional panel `point` (counts per type) holds more of come up more
// often: each draw ranks the types by an exponential race with rate
// point[t] and takes the first whole panel the search meets in that order.
// Draws the search cannot finish within `max_nodes` nodes are skipped.
// The same generator state gives the same panels.
std::vector<TypePanel> sample_face(FaceSearch& search, const PanelOracle::Face& face, const std::vector<double>& point,
                                   int count, std::mt19937_64& random, long max_nodes = 5000);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_FACE_SEARCH_H_
