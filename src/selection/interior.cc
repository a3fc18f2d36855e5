#include "selection/interior.h"

#include <algorithm>
#include <cmath>
#include <utility>

#include "core/parallel.h"

extern "C" {
// LAPACK: Cholesky factorisation of a symmetric positive definite matrix,
// and solving with it (column-major, lower triangle).
void dpotrf_(const char* uplo, const int* n, double* a, const int* lda, int* info);
void dpotrs_(const char* uplo, const int* n, const int* nrhs, const double* a, const int* lda, double* b,
             const int* ldb, int* info);
}

namespace coproduce::selection {

namespace {

// Steps stop this far short of the boundary (Mehrotra's usual 0.995).
constexpr double kStepShare = 0.995;
// Converged: the average complementarity product this small.
constexpr double kConverged = 1e-13;
// The first regularisation of the normal matrix's diagonal, relative to
// its largest entry, and the most it may grow to when the factorisation
// fails.
constexpr double kFirstRegularisation = 1e-13;
constexpr double kMostRegularisation = 1e-5;

double step_to_boundary(const std::vector<double>& v, const std::vector<double>& dv) {
  double step = 1.0;
  for (size_t i = 0; i < v.size(); ++i) {
    if (dv[i] < 0.0) step = std::min(step, -v[i] / dv[i]);
  }
  return step;
}

}  // namespace

InteriorWeights::InteriorWeights(std::vector<double> target, unsigned threads)
    : target_(std::move(target)), threads_(std::max(1u, threads)) {}

void InteriorWeights::add(const std::vector<int>& index, const std::vector<double>& value) {
  // Rows in ascending order, so that each pair of a panel's rows falls in
  // the lower triangle with its larger row first.
  std::vector<std::pair<int, double>> entries;
  for (size_t e = 0; e < index.size(); ++e) entries.emplace_back(index[e], value[e]);
  std::sort(entries.begin(), entries.end());
  for (const auto& [r, v] : entries) {
    index_.push_back(r);
    value_.push_back(v);
  }
  start_.push_back(index_.size());
}

void InteriorWeights::measure(const std::vector<double>& w) {
  const size_t n = panels();
  double total = 0.0;
  for (size_t j = 0; j < n; ++j) total += std::max(0.0, w[j]);
  weight_.assign(n, 0.0);
  achieved_.assign(target_.size(), 0.0);
  for (size_t j = 0; j < n; ++j) {
    weight_[j] = std::max(0.0, w[j]) / total;
    for (size_t e = start_[j]; e < start_[j + 1]; ++e) {
      achieved_[static_cast<size_t>(index_[e])] += weight_[j] * value_[e];
    }
  }
  shortfall_ = 0.0;
  for (size_t r = 0; r < target_.size(); ++r) shortfall_ = std::max(shortfall_, target_[r] - achieved_[r]);
}

bool InteriorWeights::solve(double enough, int max_steps) {
  const size_t N = panels();
  const size_t R = target_.size();
  const size_t m = R + 1;  // the rows, and the weights' sum
  const size_t n = N + 1 + R;  // the weights, the shortfall d, the surpluses
  const int mi = static_cast<int>(m);
  steps_ = 0;
  if (N == 0) return false;

  // A x, and A^T y, for the layout x = (w, d, s).
  auto times = [&](const std::vector<double>& x) {
    std::vector<double> out(m, 0.0);
    for (size_t j = 0; j < N; ++j) {
      for (size_t e = start_[j]; e < start_[j + 1]; ++e) out[static_cast<size_t>(index_[e])] += value_[e] * x[j];
      out[R] += x[j];
    }
    for (size_t r = 0; r < R; ++r) out[r] += x[N] - x[N + 1 + r];
    return out;
  };
  auto transposed = [&](const std::vector<double>& y) {
    std::vector<double> out(n, 0.0);
    for (size_t j = 0; j < N; ++j) {
      double s = y[R];
      for (size_t e = start_[j]; e < start_[j + 1]; ++e) s += value_[e] * y[static_cast<size_t>(index_[e])];
      out[j] = s;
    }
    for (size_t r = 0; r < R; ++r) {
      out[N] += y[r];
      out[N + 1 + r] = -y[r];
    }
    return out;
  };

  // A start both primal and dual feasible: even weights, the shortfall
  // they leave plus a margin, and small positive duals on the rows.
  std::vector<double> x(n, 0.0);
  std::vector<double> w(N, 1.0 / static_cast<double>(N));
  measure(w);
  const double margin = 0.01;
  for (size_t j = 0; j < N; ++j) x[j] = w[j];
  x[N] = std::max(0.0, shortfall_) + margin;
  for (size_t r = 0; r < R; ++r) x[N + 1 + r] = achieved_[r] + x[N] - target_[r];
  double widest = static_cast<double>(R);
  for (size_t j = 0; j < N; ++j) {
    double sum = 0.0;
    for (size_t e = start_[j]; e < start_[j + 1]; ++e) sum += value_[e];
    widest = std::max(widest, sum);
  }
  const double eps = 0.5 / widest;
  std::vector<double> y(m, eps);
  y[R] = -1.0;
  std::vector<double> c(n, 0.0);
  c[N] = 1.0;
  std::vector<double> z = transposed(y);
  for (size_t i = 0; i < n; ++i) z[i] = c[i] - z[i];

  std::vector<double> b(target_);
  b.push_back(1.0);
  std::vector<double> M(m * m);
  std::vector<double> theta(n);
  // Row split for the two halves of the lower triangle's work: rows below
  // `split` hold about as many entries as the rows from it on.
  const size_t split = std::min(R, static_cast<size_t>(static_cast<double>(R) / std::sqrt(2.0)));
  double regularisation = kFirstRegularisation;

  for (; steps_ < max_steps; ++steps_) {
    for (size_t j = 0; j < N; ++j) w[j] = x[j];
    measure(w);
    dual_.assign(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(R));
    if (shortfall_ <= enough) return true;
    double mu = 0.0;
    for (size_t i = 0; i < n; ++i) mu += x[i] * z[i];
    mu /= static_cast<double>(n);
    if (mu < kConverged) return true;

    std::vector<double> rp = times(x);
    for (size_t i = 0; i < m; ++i) rp[i] = b[i] - rp[i];
    std::vector<double> rd = transposed(y);
    for (size_t i = 0; i < n; ++i) rd[i] = c[i] - rd[i] - z[i];
    for (size_t i = 0; i < n; ++i) theta[i] = x[i] / z[i];

    // The normal matrix A Theta A^T, lower triangle, column-major.
    std::fill(M.begin(), M.end(), 0.0);
    parallel_for(2, threads_, [&](size_t half, unsigned) {
      for (size_t j = 0; j < N; ++j) {
        const double t = theta[j];
        const size_t begin = start_[j];
        const size_t end = start_[j + 1];
        // This half's rows of panel j: [from, to).
        const size_t cut =
            static_cast<size_t>(std::lower_bound(index_.begin() + static_cast<std::ptrdiff_t>(begin),
                                                 index_.begin() + static_cast<std::ptrdiff_t>(end),
                                                 static_cast<int>(split)) -
                                index_.begin());
        const size_t from = half == 0 ? begin : cut;
        const size_t to = half == 0 ? cut : end;
        for (size_t a = from; a < to; ++a) {
          const size_t p = static_cast<size_t>(index_[a]);
          const double tv = t * value_[a];
          for (size_t e = begin; e <= a; ++e) M[static_cast<size_t>(index_[e]) * m + p] += tv * value_[e];
        }
        if (half == 1) {
          for (size_t e = begin; e < end; ++e) M[static_cast<size_t>(index_[e]) * m + R] += t * value_[e];
          M[R * m + R] += t;
        }
      }
    });
    const double td = theta[N];
    double most = 0.0;
    for (size_t q = 0; q < R; ++q) {
      for (size_t p = q; p < R; ++p) M[q * m + p] += td;
      M[q * m + q] += theta[N + 1 + q];
      most = std::max(most, M[q * m + q]);
    }
    most = std::max(most, M[R * m + R]);

    // Factorise in place, regularising the diagonal more each time it
    // fails (the matrix is formed again then: it is rare).
    std::vector<double>& L = M;
    for (size_t i = 0; i < m; ++i) L[i * m + i] += regularisation * most;
    int info = 0;
    const char lower = 'L';
    dpotrf_(&lower, &mi, L.data(), &mi, &info);
    if (info != 0) {
      regularisation *= 1e3;
      if (regularisation > kMostRegularisation) return steps_ > 0;
      --steps_;
      continue;
    }
    auto solve_normal = [&](std::vector<double> rhs) {
      const int one = 1;
      int solved = 0;
      dpotrs_(&lower, &mi, &one, L.data(), &mi, rhs.data(), &mi, &solved);
      return rhs;
    };
    // The Newton direction for complementarity target rc (Z dx + X dz = rc).
    auto direction = [&](const std::vector<double>& rc, std::vector<double>* dx, std::vector<double>* dy,
                         std::vector<double>* dz) {
      std::vector<double> u(n);
      for (size_t i = 0; i < n; ++i) u[i] = theta[i] * rd[i] - rc[i] / z[i];
      std::vector<double> rhs = times(u);
      for (size_t i = 0; i < m; ++i) rhs[i] += rp[i];
      *dy = solve_normal(std::move(rhs));
      const std::vector<double> aty = transposed(*dy);
      dx->resize(n);
      dz->resize(n);
      for (size_t i = 0; i < n; ++i) {
        (*dx)[i] = rc[i] / z[i] - theta[i] * rd[i] + theta[i] * aty[i];
        (*dz)[i] = rd[i] - aty[i];
      }
    };

    std::vector<double> rc(n);
    for (size_t i = 0; i < n; ++i) rc[i] = -x[i] * z[i];
    std::vector<double> dx, dy, dz;
    direction(rc, &dx, &dy, &dz);
    const double ap_aff = step_to_boundary(x, dx);
    const double ad_aff = step_to_boundary(z, dz);
    double mu_aff = 0.0;
    for (size_t i = 0; i < n; ++i) mu_aff += (x[i] + ap_aff * dx[i]) * (z[i] + ad_aff * dz[i]);
    mu_aff /= static_cast<double>(n);
    const double sigma = std::pow(mu_aff / mu, 3.0);
    for (size_t i = 0; i < n; ++i) rc[i] = sigma * mu - x[i] * z[i] - dx[i] * dz[i];
    direction(rc, &dx, &dy, &dz);
    const double ap = std::min(1.0, kStepShare * step_to_boundary(x, dx));
    const double ad = std::min(1.0, kStepShare * step_to_boundary(z, dz));
    for (size_t i = 0; i < n; ++i) {
      x[i] += ap * dx[i];
      z[i] += ad * dz[i];
    }
    for (size_t i = 0; i < m; ++i) y[i] += ad * dy[i];
  }
  for (size_t j = 0; j < N; ++j) w[j] = x[j];
  measure(w);
  dual_.assign(y.begin(), y.begin() + static_cast<std::ptrdiff_t>(R));
  return true;
}

}  // namespace coproduce::selection
