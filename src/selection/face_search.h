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

// Depth-first search for a whole panel on a face: every type's count and
// every row's total held between given bounds (equal where the face holds
// a rule with equality). It branches on the row furthest from its least
// total, trying the types the caller prefers first: "one more of this
// type", or "no more of it below this node".
class FaceSearch {
 public:
  FaceSearch(const Problem& problem, const TypeModel& types);

  const std::vector<PanelRow>& rows() const { return rows_; }

  // A whole panel within the bounds of a face (per type, per row of
  // rows()), trying the types `prefer` ranks highest first; false when none
  // is found within `max_nodes` nodes. Adds the nodes searched to *nodes.
  bool find(const PanelOracle::Face& face, const std::vector<double>& prefer, long max_nodes, TypePanel* out,
            long* nodes);

 private:
  void close(int t);
  void undo_to(size_t mark);
  // A row at its most: none of its types may grow below this node.
  void close_row(size_t r);
  void add(int t);
  void remove(int t);
  // Whether the bounds can still all be met: every row can still reach its
  // least, and in each category the values' shortfalls fit in the seats
  // left and their room can fill them.
  bool feasible() const;
  // When a category's shortfalls take every seat left, the seats must all
  // go to its values that are short: no other type may grow. Repeated until
  // nothing more closes; false when the bounds can no longer be met.
  bool propagate();
  bool dfs();

  std::vector<PanelRow> rows_;
  size_t categories_;
  std::vector<std::vector<int>> rows_of_;  // per type
  std::vector<std::vector<int>> order_;    // per row: its open types, preferred first
  std::vector<int> ranked_;                // every type, preferred first
  std::vector<int> open_;                  // per row: its types not closed
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



// The search nodes a draw may take before it is skipped: enough for
// nearly every draw on the pools measured (decision 1000).
constexpr long kFaceSearchNodes = 5000;

// Up to `count` whole panels on `face`, drawn at random so that types the
// fractional panel `point` (counts per type) holds more of come up more
// often: each draw ranks the types by an exponential race with rate
// point[t] and takes the first whole panel the search meets in that order.
// Draws the search cannot finish within `max_nodes` nodes are skipped.
// The draws run on up to `threads` threads; the same generator state gives
// the same panels, in the same order, whatever the number of threads.
std::vector<TypePanel> sample_face(FaceSearch& search, const PanelOracle::Face& face, const std::vector<double>& point,
                                   int count, std::mt19937_64& random, long max_nodes = kFaceSearchNodes,
                                   unsigned threads = 1);

}  // namespace coproduce::selection

#endif  // COPRODUCE_SELECTION_FACE_SEARCH_H_
