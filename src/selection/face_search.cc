#include "selection/face_search.h"

#include <cmath>
#include <limits>
#include <optional>

#include "core/parallel.h"

namespace coproduce::selection {

FaceSearch::FaceSearch(const Problem& problem, const TypeModel& types)
    : rows_(panel_rows(problem, types)), categories_(problem.categories.size()) {
  const int T = types.size();
  rows_of_.resize(static_cast<size_t>(T));
  for (size_t r = 0; r < rows_.size(); ++r) {
    for (int t : rows_[r].types) rows_of_[static_cast<size_t>(t)].push_back(static_cast<int>(r));
  }
}

bool FaceSearch::find(const PanelOracle::Face& face, const std::vector<double>& prefer, long max_nodes, TypePanel* out,
                      long* nodes) {
  const size_t T = face.type_lo.size();
  const size_t R = rows_.size();
  hi_ = face.type_hi;
  need_lo_ = face.row_lo;
  need_hi_ = face.row_hi;
  panel_ = face.type_lo;
  closed_.assign(T, false);
  count_.assign(R, 0);
  cap_.assign(R, 0);
  undo_.clear();
  for (size_t t = 0; t < T; ++t) {
    if (panel_[t] >= hi_[t]) closed_[t] = true;
    for (int r : rows_of_[t]) {
      count_[static_cast<size_t>(r)] += panel_[t];
      if (!closed_[t]) cap_[static_cast<size_t>(r)] += hi_[t] - panel_[t];
    }
  }
  // Each row's open types, preferred first (ties by type): one sort of all
  // the types, not one per row (a row per category value puts each type in
  // several rows; on 4,613 types the sorts per row were most of a draw).
  ranked_.resize(T);
  for (size_t t = 0; t < T; ++t) ranked_[t] = static_cast<int>(t);
  std::stable_sort(ranked_.begin(), ranked_.end(),
                   [&](int a, int b) { return prefer[static_cast<size_t>(a)] > prefer[static_cast<size_t>(b)]; });
  order_.resize(R);
  for (auto& row : order_) row.clear();
  open_.assign(R, 0);
  for (int t : ranked_) {
    if (closed_[static_cast<size_t>(t)]) continue;
    for (int r : rows_of_[static_cast<size_t>(t)]) {
      order_[static_cast<size_t>(r)].push_back(t);
      ++open_[static_cast<size_t>(r)];
    }
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

void FaceSearch::close(int t) {
  const auto i = static_cast<size_t>(t);
  closed_[i] = true;
  for (int r : rows_of_[i]) {
    cap_[static_cast<size_t>(r)] -= hi_[i] - panel_[i];
    --open_[static_cast<size_t>(r)];
  }
  undo_.push_back(t);
}

void FaceSearch::undo_to(size_t mark) {
  while (undo_.size() > mark) {
    const auto i = static_cast<size_t>(undo_.back());
    undo_.pop_back();
    closed_[i] = false;
    for (int r : rows_of_[i]) {
      cap_[static_cast<size_t>(r)] += hi_[i] - panel_[i];
      ++open_[static_cast<size_t>(r)];
    }
  }
}

void FaceSearch::close_row(size_t r) {
  for (int t : order_[r]) {
    if (open_[r] == 0) break;
    if (!closed_[static_cast<size_t>(t)]) close(t);
  }
}

void FaceSearch::add(int t) {
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

void FaceSearch::remove(int t) {
  const auto i = static_cast<size_t>(t);
  --panel_[i];
  for (int r : rows_of_[i]) {
    --count_[static_cast<size_t>(r)];
    ++cap_[static_cast<size_t>(r)];
  }
}

bool FaceSearch::feasible() const {
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

bool FaceSearch::propagate() {
  while (true) {
    if (!feasible()) return false;
    const int left = need_lo_[0] - count_[0];
    bool closed_any = false;
    for (size_t c = 0; c < categories_; ++c) {
      if (scratch_short_[c] != left) continue;
      for (size_t r = 1; r < rows_.size(); ++r) {
        if (rows_[r].category != static_cast<int>(c) || count_[r] < need_lo_[r] || open_[r] == 0) continue;
        close_row(r);
        closed_any = true;
      }
    }
    if (!closed_any) return true;
  }
}

bool FaceSearch::dfs() {
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
  undo_to(entry);
  return false;
}

std::vector<TypePanel> sample_face(FaceSearch& search, const PanelOracle::Face& face, const std::vector<double>& point,
                                   int count, std::mt19937_64& random, long max_nodes, unsigned threads) {
  if (count <= 0) return {};
  // A seed per draw, taken in order: each draw's panel depends on its seed
  // alone, so the panels are the same however many threads draw them.
  std::vector<std::uint64_t> seeds(static_cast<size_t>(count));
  for (auto& seed : seeds) seed = random();
  const unsigned workers = std::clamp(threads, 1u, static_cast<unsigned>(count));
  std::vector<FaceSearch> more(workers - 1, search);  // a search of its own for each other worker
  std::vector<std::vector<double>> prefer(workers, std::vector<double>(point.size()));
  std::vector<long> nodes(workers, 0);
  std::vector<std::optional<TypePanel>> found(seeds.size());
  parallel_for(seeds.size(), workers, [&](size_t k, unsigned w) {
    std::mt19937_64 draw(seeds[k]);
    std::uniform_real_distribution<double> unit(0.0, 1.0);
    std::vector<double>& rank = prefer[w];
    for (size_t t = 0; t < point.size(); ++t) {
      // An exponential race: the first arrival of a type with rate
      // point[t] comes at -log(u) / point[t]; earliest first.
      const double u = std::max(unit(draw), 1e-300);
      rank[t] = point[t] > 0.0 ? point[t] / -std::log(u) : 0.0;
    }
    TypePanel panel;
    FaceSearch& mine = w == 0 ? search : more[w - 1];
    if (mine.find(face, rank, max_nodes, &panel, &nodes[w])) found[k] = std::move(panel);
  });
  std::vector<TypePanel> out;
  for (auto& panel : found) {
    if (panel) out.push_back(std::move(*panel));
  }
  return out;
}

}  // namespace coproduce::selection
