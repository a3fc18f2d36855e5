#include "library/search.h"

#include <algorithm>
#include <array>
#include <bit>
#include <memory>
#include <mutex>
#include <random>
#include <string_view>
#include <unordered_map>
#include <utility>

#include "activities/activities.h"
#include "involvement/groups.h"
#include "library/vocab.h"
#include "store/text_index.h"

namespace coproduce::library {
namespace {

using store::Connection;
using store::Row;
using store::Value;

constexpr const char* kIndexName = "library_case_study_text";
constexpr int kTitle = 0, kSummary = 1, kBody = 2;  // the index's fields, in this order
constexpr size_t kMaxQueryBytes = 1000;             // of q; the rest is ignored
constexpr size_t kMaxTerms = 32;                    // words or phrases of q; the rest are ignored
constexpr int kMaxPerPage = 100;
constexpr int kSnippetWords = 32;

const std::vector<store::TextField>& index_fields() {
  // A word in the title counts ten times one in the story: the title says
  // what the case study is about, the story mentions much in passing.
  static const std::vector<store::TextField> kFields = {{"title", 10}, {"summary", 4}, {"body", 1}};
  return kFields;
}

// ---- Reading what was typed ----------------------------------------------

// The next code point of UTF-8 `s` from `*i`, moving `*i` past it; a byte
// that does not start a valid sequence is taken as itself.
char32_t next_code_point(std::string_view s, size_t* i) {
  auto b = static_cast<unsigned char>(s[*i]);
  size_t extra = b >= 0xF0 ? 3 : b >= 0xE0 ? 2 : b >= 0xC0 ? 1 : 0;
  if (extra == 0 || *i + extra >= s.size()) {
    ++*i;
    return b;
  }
  char32_t cp = b & (0x3F >> extra);
  for (size_t k = 1; k <= extra; ++k) {
    auto c = static_cast<unsigned char>(s[*i + k]);
    if ((c & 0xC0) != 0x80) {
      ++*i;
      return b;
    }
    cp = (cp << 6) | (c & 0x3F);
  }
  *i += extra + 1;
  return cp;
}

bool is_quote(char32_t cp) { return cp == '"' || cp == 0x201C || cp == 0x201D || cp == 0x201E; }
bool is_space(char32_t cp) {
  return cp == ' ' || cp == '\t' || cp == '\n' || cp == '\r' || cp == '\f' || cp == '\v' || cp == 0xA0 ||
         cp == 0x3000 || (cp >= 0x2000 && cp <= 0x200B);
}
// Within a word: letters and digits, and any character beyond ASCII but the
// hyphens, dashes, apostrophes and ellipsis people type between words.
bool is_word_character(char32_t cp) {
  if (cp < 0x80) return (cp >= '0' && cp <= '9') || (cp >= 'a' && cp <= 'z') || (cp >= 'A' && cp <= 'Z');
  return !(cp >= 0x2010 && cp <= 0x2019) && cp != 0x2026 && !is_space(cp) && !is_quote(cp);
}

// A run of q between spaces ("co-production", "well-being") or a quoted
// phrase, as the words in it, ASCII letters in lower case.
struct Unit {
  std::vector<std::string> words;
  bool quoted = false;
};

std::vector<Unit> read_units(std::string_view q) {
  std::vector<Unit> units;
  Unit unit;
  std::string word;
  auto end_word = [&] {
    if (!word.empty()) unit.words.push_back(std::move(word));
    word.clear();
  };
  auto end_unit = [&](bool quoted_next) {
    end_word();
    if (!unit.words.empty()) units.push_back(std::move(unit));
    unit = Unit();
    unit.quoted = quoted_next;
  };
  bool in_quotes = false;
  for (size_t i = 0; i < q.size();) {
    size_t start = i;
    char32_t cp = next_code_point(q, &i);
    if (is_quote(cp)) {
      in_quotes = !in_quotes;
      end_unit(in_quotes);
    } else if (is_space(cp)) {
      if (in_quotes)
        end_word();
      else
        end_unit(false);
    } else if (is_word_character(cp)) {
      if (cp >= 'A' && cp <= 'Z') cp += 'a' - 'A';
      if (cp < 0x80)
        word += static_cast<char>(cp);
      else
        word.append(q.substr(start, i - start));
    } else {
      end_word();
    }
  }
  end_unit(false);  // an unbalanced quote runs to the end
  return units;
}

// 'co-production', 'coproduction' and 'co production', and every other
// form of the word (co-produce, coproduced, co-producing): the alternatives
// that find each of them, whichever way it was written in the case study.
// The porter stemmer turns "production" into "product" and "produced" into
// "produc", so the prefix "produc" (and "coproduc") covers them all.
//
// With `listed`, the two forms the stemmer makes of nearly every word
// (produc, product) instead: finding them in one case study costs the index
// far less than finding a prefix does (which it reads in full each time),
// so the snippets, a page's worth of such look-ups, mark the words with
// these. (A case study holding only a rare form, such as co-productise,
// shows its summary unmarked.)
store::TextTerm coproduction_term(bool listed = false) {
  if (!listed) return {store::TextAlternative{{"coproduc"}, true}, store::TextAlternative{{"co", "produc"}, true}};
  store::TextTerm term;
  for (const char* form : {"produce", "production"}) {
    term.push_back(store::TextAlternative{{std::string("co") + form}, false});
    term.push_back(store::TextAlternative{{"co", form}, false});
  }
  return term;
}

bool starts_with(std::string_view s, std::string_view prefix) { return s.substr(0, prefix.size()) == prefix; }

store::TextTerm single(std::vector<std::string> words) { return {store::TextAlternative{std::move(words), false}}; }

// A phrase the person quoted: as typed, and with each form of co-production
// also written the other way ("co-production week" also finds
// "coproduction week").
store::TextTerm quoted_term(const std::vector<std::string>& words) {
  std::vector<std::string> joined, split;
  bool changed = false;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& w = words[i];
    if (w == "co" && i + 1 < words.size() && starts_with(words[i + 1], "produc")) {
      joined.push_back("co" + words[i + 1]);
      split.push_back("co");
      split.push_back(words[i + 1]);
      changed = true;
      ++i;
    } else if (starts_with(w, "coproduc")) {
      joined.push_back(w);
      split.push_back("co");
      split.push_back(w.substr(2));
      changed = true;
    } else {
      joined.push_back(w);
      split.push_back(w);
    }
  }
  if (!changed) return single(words);
  return {store::TextAlternative{joined, false}, store::TextAlternative{split, false}};
}

// What q asks for: each quoted phrase, each run between spaces (its words
// as a phrase), and each form of co-production, are terms the case study
// must all hold. With `listed_forms`, co-production is its forms rather
// than prefixes (see coproduction_term).
store::TextQuery text_query(std::string_view q, bool listed_forms = false) {
  if (q.size() > kMaxQueryBytes) {
    size_t cut = kMaxQueryBytes;
    while (cut > 0 && (static_cast<unsigned char>(q[cut]) & 0xC0) == 0x80) --cut;
    q = q.substr(0, cut);
  }
  std::vector<Unit> units = read_units(q);
  store::TextQuery query;
  for (size_t u = 0; u < units.size(); ++u) {
    if (units[u].quoted) {
      query.terms.push_back(quoted_term(units[u].words));
      continue;
    }
    std::vector<std::string> pending;
    auto flush = [&] {
      if (!pending.empty()) query.terms.push_back(single(std::move(pending)));
      pending.clear();
    };
    const std::vector<std::string>& words = units[u].words;
    for (size_t i = 0; i < words.size(); ++i) {
      if (starts_with(words[i], "coproduc")) {
        flush();
        query.terms.push_back(coproduction_term(listed_forms));
      } else if (words[i] == "co" && i + 1 < words.size() && starts_with(words[i + 1], "produc")) {
        flush();
        query.terms.push_back(coproduction_term(listed_forms));
        ++i;
      } else if (words[i] == "co" && i + 1 == words.size() && u + 1 < units.size() && !units[u + 1].quoted &&
                 starts_with(units[u + 1].words.front(), "produc")) {
        // "co production": the next unit starts with the rest of the word.
        flush();
        query.terms.push_back(coproduction_term(listed_forms));
        units[u + 1].words.erase(units[u + 1].words.begin());
      } else {
        pending.push_back(words[i]);
      }
    }
    flush();
  }
  if (query.terms.size() > kMaxTerms) query.terms.resize(kMaxTerms);
  return query;
}

// ---- Safe HTML -------------------------------------------------------------

void append_escaped(std::string* out, char ch) {
  switch (ch) {
    case '&':
      *out += "&amp;";
      break;
    case '<':
      *out += "&lt;";
      break;
    case '>':
      *out += "&gt;";
      break;
    case '"':
      *out += "&quot;";
      break;
    case '\'':
      *out += "&#39;";
      break;
    default:
      *out += ch;
  }
}

std::string escape_html(std::string_view text) {
  std::string out;
  out.reserve(text.size() + text.size() / 8);
  for (char ch : text) {
    if (ch == store::kMatchStart || ch == store::kMatchEnd) continue;
    append_escaped(&out, ch);
  }
  return out;
}

// A snippet from the index as HTML: the text escaped, each match in
// <mark>. A stray mark (none should come) is dropped, so the tags balance.
std::string snippet_html(std::string_view snippet) {
  std::string out;
  out.reserve(snippet.size() + 32);
  bool open = false;
  for (char ch : snippet) {
    if (ch == store::kMatchStart) {
      if (!open) out += "<mark>";
      open = true;
    } else if (ch == store::kMatchEnd) {
      if (open) out += "</mark>";
      open = false;
    } else {
      append_escaped(&out, ch);
    }
  }
  if (open) out += "</mark>";
  return out;
}

// ---- Counting --------------------------------------------------------------

enum Facet { kSetting, kRung, kPrinciple, kAreaOfCare, kOrganisation, kFacets };
constexpr std::array<const char*, kFacets> kFacetNames = {"setting", "rung", "principle", "area_of_care",
                                                          "organisation"};

// A timestamp ("2026-06-15T10:00:00Z") as a number that sorts the same way:
// its first 18 digits, padded with zeros.
int64_t time_key(std::string_view timestamp) {
  int64_t key = 0;
  int digits = 0;
  for (char ch : timestamp) {
    if (ch < '0' || ch > '9') continue;
    if (digits == 18) break;
    key = key * 10 + (ch - '0');
    ++digits;
  }
  for (; digits < 18; ++digits) key *= 10;
  return key;
}

struct Candidate {
  int64_t id = 0;
  int64_t time = 0;    // time_key of published_at, else updated_at
  double score = 0;    // lower is better
  uint32_t entry = 0;  // its place in the rows read (see Rows)
};

// The page's order: best score first (all equal without q), then newest,
// then the latest added.
bool before(const Candidate& a, const Candidate& b) {
  if (a.score != b.score) return a.score < b.score;
  if (a.time != b.time) return a.time > b.time;
  return a.id > b.id;
}

std::vector<FacetCount> vocabulary_facet(const activities::Choices& choices,
                                         const std::unordered_map<std::string, int64_t>& counts,
                                         const std::string& selected) {
  std::vector<FacetCount> out;
  for (const auto& [code, label] : choices) {
    auto it = counts.find(code);
    int64_t n = it == counts.end() ? 0 : it->second;
    if (n > 0 || code == selected) out.push_back({code, label, n, code == selected});
  }
  // Codes outside the vocabulary (from another site's feed), after it.
  std::vector<FacetCount> others;
  for (const auto& [code, n] : counts)
    if (!code.empty() && n > 0 && !activities::is_choice(choices, code)) others.push_back({code, code, n, false});
  std::sort(others.begin(), others.end(), [](const auto& a, const auto& b) { return a.value < b.value; });
  for (auto& o : others) {
    o.selected = o.value == selected;
    out.push_back(std::move(o));
  }
  return out;
}

std::vector<FacetCount> named_facet(const std::unordered_map<std::string, int64_t>& counts,
                                    const std::string& selected) {
  std::vector<FacetCount> out;
  for (const auto& [name, n] : counts)
    if (!name.empty() && n > 0) out.push_back({name, name, n, name == selected});
  if (!selected.empty() && !counts.count(selected)) out.push_back({selected, selected, 0, true});
  std::sort(out.begin(), out.end(), [](const FacetCount& a, const FacetCount& b) {
    if (a.count != b.count) return a.count > b.count;
    return a.value < b.value;
  });
  return out;
}

// ---- What the pass reads of each case study -----------------------------

// library_search_rows in memory: one entry per case study, sorted by id,
// each text interned so that the pass compares and counts small numbers.
enum RowStatus : uint8_t { kHidden, kPublished, kDraft, kInReview };

struct Entry {
  int64_t id = 0;
  int64_t time = 0;           // time_key of sort_at
  uint32_t organisation = 0;  // index into Rows::organisation_ids
  uint32_t setting = 0, rung = 0, area_of_care = 0, source = 0;  // indexes into Rows::values; 0 is ""
  uint32_t principles = 0;    // bit i: principles()[i]
  uint8_t status = kHidden;
};

struct Rows {
  std::vector<Entry> entries;
  std::vector<std::string> values;  // values[0] is ""
  std::unordered_map<std::string, uint32_t> value_ids;
  std::vector<int64_t> organisation_ids;
};

constexpr uint32_t kNoValue = UINT32_MAX;  // a filter value no case study has

uint32_t value_id(const Rows& rows, const std::string& value) {
  auto it = rows.value_ids.find(value);
  return it == rows.value_ids.end() ? kNoValue : it->second;
}

StatusOr<std::shared_ptr<const Rows>> load_rows(Connection& c) {
  auto rows = std::make_shared<Rows>();
  rows->values.emplace_back();
  rows->value_ids.emplace("", 0);
  std::unordered_map<int64_t, uint32_t> organisation_index;
  auto intern = [&](std::string value) {
    auto [it, added] = rows->value_ids.emplace(std::move(value), static_cast<uint32_t>(rows->values.size()));
    if (added) rows->values.push_back(it->first);
    return it->second;
  };
  const auto& vocabulary = principles();
  Status s = c.query_each(
      "SELECT case_study_id, organisation_id, status, setting, rung, area_of_care, source_organisation, principles,"
      " sort_at FROM library_search_rows WHERE status IN ('published', 'draft', 'in_review')",
      {}, [&](const Row& r) {
        Entry e;
        e.id = r.integer(0);
        auto [org, added] =
            organisation_index.emplace(r.integer(1), static_cast<uint32_t>(rows->organisation_ids.size()));
        if (added) rows->organisation_ids.push_back(r.integer(1));
        e.organisation = org->second;
        const std::string status = r.text(2);
        e.status = status == "published" ? kPublished
                   : status == "draft"   ? kDraft
                   : status == "in_review" ? kInReview
                                           : kHidden;
        e.setting = intern(r.text(3));
        e.rung = intern(r.text(4));
        e.area_of_care = intern(r.text(5));
        e.source = intern(r.text(6));
        const std::string codes = r.text(7);
        for (size_t start = 0; start < codes.size();) {
          size_t end = codes.find('\n', start);
          if (end == std::string::npos) end = codes.size();
          std::string_view code(codes.data() + start, end - start);
          for (size_t i = 0; i < vocabulary.size() && i < 32; ++i)
            if (vocabulary[i].first == code) e.principles |= uint32_t{1} << i;
          start = end + 1;
        }
        e.time = time_key(r.text(8));
        rows->entries.push_back(e);
        return Status::Ok();
      });
  if (!s.ok()) return s;
  auto by_id = [](const Entry& a, const Entry& b) { return a.id < b.id; };
  if (!std::is_sorted(rows->entries.begin(), rows->entries.end(), by_id))
    std::sort(rows->entries.begin(), rows->entries.end(), by_id);
  return std::shared_ptr<const Rows>(std::move(rows));
}

// What the pass reads, as of a stamp.
struct Snapshot {
  int64_t stamp = 0;  // 0: library_search_rows has never changed
  std::shared_ptr<const Rows> rows;
};

// The rows as of the stamp in library_search_state, kept in memory from one
// search to the next while the stamp stays the same. Every change to
// library_search_rows (and to the words indexed, which come with one) sets
// a new random stamp in its transaction, so a stamp names one content of
// the table and the index: what is kept under it holds across processes
// and databases, and for a transaction that later rolls back (its stamp is
// never seen again). Read inside the search's transaction, so the rows, the
// matches and the stamp are one snapshot.
class RowsCache {
 public:
  StatusOr<Snapshot> get(Connection& c) {
    auto row = c.query_one("SELECT stamp FROM library_search_state WHERE id = 1");
    if (!row.ok() && row.status().code() != StatusCode::kNotFound) return row.status();
    Snapshot snapshot;
    snapshot.stamp = row.ok() ? row->integer(0) : 0;
    if (snapshot.stamp != 0) {
      std::lock_guard lock(mu_);
      for (auto it = kept_.begin(); it != kept_.end(); ++it) {
        if (it->stamp != snapshot.stamp) continue;
        snapshot = *it;
        kept_.erase(it);
        kept_.push_back(snapshot);  // the most recently used last
        return snapshot;
      }
    }
    auto loaded = load_rows(c);
    if (!loaded.ok()) return loaded.status();
    snapshot.rows = std::move(*loaded);
    if (snapshot.stamp == 0) return snapshot;
    std::lock_guard lock(mu_);
    kept_.push_back(snapshot);
    if (kept_.size() > kKept) kept_.erase(kept_.begin());
    return snapshot;
  }

 private:
  // A process searches one database, but a few are kept for the moments
  // when transactions see different stamps (and for tests with several).
  static constexpr size_t kKept = 3;
  std::mutex mu_;
  std::vector<Snapshot> kept_;
};

RowsCache& rows_cache() {
  static RowsCache* cache = new RowsCache();
  return *cache;
}

// A new stamp: random, never 0.
int64_t new_stamp() {
  thread_local std::mt19937_64 rng([] {
    std::random_device device;
    std::seed_seq seed{device(), device(), device(), device()};
    return std::mt19937_64(seed);
  }());
  int64_t stamp = 0;
  while (stamp == 0) stamp = static_cast<int64_t>(rng() >> 1);
  return stamp;
}

// Copies case study `id` into library_search_rows as the table and its
// principles now hold it, or leaves it out when it is not there.
Status refresh_search_row(Connection& c, int64_t id) {
  if (auto d = c.execute("DELETE FROM library_search_rows WHERE case_study_id = $1", {id}); !d.ok())
    return d.status();
  auto found = c.query(
      "SELECT organisation_id, status, setting, rung, area_of_care, source_organisation,"
      " COALESCE(published_at, updated_at) FROM library_case_studies WHERE id = $1",
      {id});
  if (!found.ok()) return found.status();
  if (!found->empty()) {
    const Row& r = found->front();
    std::string codes;
    Status listed = c.query_each(
        "SELECT principle FROM library_case_study_principles WHERE case_study_id = $1 ORDER BY principle", {id},
        [&](const Row& p) {
          codes += (codes.empty() ? "" : "\n") + p.text(0);
          return Status::Ok();
        });
    if (!listed.ok()) return listed;
    auto added = c.execute(
        "INSERT INTO library_search_rows (case_study_id, organisation_id, status, setting, rung, area_of_care,"
        " source_organisation, principles, sort_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9)",
        {id, r.integer(0), r.text(1), r.text(2), r.text(3), r.text(4), r.text(5), codes, r.text(6)});
    if (!added.ok()) return added.status();
  }
  auto stamped = c.execute("UPDATE library_search_state SET stamp = $1 WHERE id = 1", {new_stamp()});
  return stamped.ok() ? Status::Ok() : stamped.status();
}

// ---- SQL -------------------------------------------------------------------

// The organisation a case study comes from, as the organisation facet
// names it: the feed's organisation for one read from a feed.
constexpr const char* kOrganisationNameSql =
    "CASE WHEN cs.source_organisation <> '' THEN cs.source_organisation"
    " ELSE (SELECT o.name FROM organisations o WHERE o.id = cs.organisation_id) END";

StatusOr<std::unique_ptr<store::TextIndex>> case_study_index(const store::Dialect& dialect) {
  return store::make_text_index(dialect, kIndexName, index_fields());
}

// Ranking by bm25 costs a microsecond or two a match. Words in more case
// studies than this are ranked by where they are instead (see search.h).
constexpr size_t kRankLimit = 5'000;

// The case studies an engine query matches, whoever may see them: how many,
// and which of the rows read (Rows::entries) they are, a bit each, with
// their bm25 scores (lower is better) in the same order when scored. A bit
// each keeps the whole library's matches to 12 KB a query at 100,000 case
// studies, so many can be kept.
struct Matches {
  size_t count = 0;            // in the index, whether there is a row for them or not
  std::vector<uint64_t> bits;  // bit i: Rows::entries[i] matches
  std::vector<double> scores;  // one for each bit set, in order, when scored
  bool scored = false;

  bool has(size_t entry) const { return (bits[entry / 64] >> (entry % 64)) & 1; }
  size_t bytes() const { return bits.size() * sizeof(uint64_t) + scores.size() * sizeof(double); }
};
using MatchesPtr = std::shared_ptr<const Matches>;

// `ids` (in order) as Matches over `rows`, with `scores` (one an id) when given.
MatchesPtr matches_of(const Rows& rows, const std::vector<int64_t>& ids, const std::vector<double>* scores) {
  auto matches = std::make_shared<Matches>();
  matches->count = ids.size();
  const std::vector<Entry>& entries = rows.entries;
  matches->bits.assign((entries.size() + 63) / 64, 0);
  auto by_id = [](const Entry& e, int64_t id) { return e.id < id; };
  // Few matches: look each up; many: walk both lists together.
  const bool look_up = ids.size() * 16 < entries.size();
  auto at = entries.begin();
  for (size_t k = 0; k < ids.size() && at != entries.end(); ++k) {
    if (look_up) {
      at = std::lower_bound(at, entries.end(), ids[k], by_id);
    } else {
      while (at != entries.end() && at->id < ids[k]) ++at;
    }
    if (at == entries.end() || at->id != ids[k]) continue;
    const auto i = static_cast<size_t>(at - entries.begin());
    matches->bits[i / 64] |= uint64_t{1} << (i % 64);
    if (scores) matches->scores.push_back((*scores)[k]);
  }
  matches->scored = scores != nullptr;
  return matches;
}

// Matches kept in memory under the stamp they were read with (see
// RowsCache), so that the words people search for most (co-production, say)
// are read from the index once between changes to the library.
class MatchesCache {
 public:
  MatchesPtr find(int64_t stamp, const std::string& key) {
    if (stamp == 0) return nullptr;
    std::lock_guard lock(mu_);
    for (auto it = kept_.begin(); it != kept_.end(); ++it) {
      if (it->stamp != stamp || it->key != key) continue;
      Kept found = std::move(*it);
      kept_.erase(it);
      kept_.push_back(std::move(found));  // the most recently used last
      return kept_.back().matches;
    }
    return nullptr;
  }

  void keep(int64_t stamp, std::string key, MatchesPtr matches) {
    if (stamp == 0 || matches->bytes() > kMaxBytes) return;
    std::lock_guard lock(mu_);
    bytes_ += matches->bytes();
    kept_.push_back({stamp, std::move(key), std::move(matches)});
    while (kept_.size() > kMaxKept || bytes_ > kMaxBytes) {
      bytes_ -= kept_.front().matches->bytes();
      kept_.erase(kept_.begin());
    }
  }

 private:
  // 500 queries' matches, at most 16 MB (about 12 KB each at 100,000 case studies).
  static constexpr size_t kMaxKept = 500, kMaxBytes = size_t{16} << 20;
  struct Kept {
    int64_t stamp;
    std::string key;
    MatchesPtr matches;
  };
  std::mutex mu_;
  std::vector<Kept> kept_;
  size_t bytes_ = 0;
};

MatchesCache& matches_cache() {
  static MatchesCache* cache = new MatchesCache();
  return *cache;
}

// What the engine query `words` matches ("" matches nothing).
StatusOr<MatchesPtr> all_matches(Connection& c, const store::TextIndex& index, const Snapshot& snapshot,
                                 const std::string& words) {
  const std::string key = "ids\n" + words;
  if (MatchesPtr kept = matches_cache().find(snapshot.stamp, key)) return kept;
  if (MatchesPtr kept = matches_cache().find(snapshot.stamp, "scored\n" + words)) return kept;
  auto ids = index.matching_ids(c, words);
  if (!ids.ok()) return ids.status();
  MatchesPtr matches = matches_of(*snapshot.rows, *ids, nullptr);
  matches_cache().keep(snapshot.stamp, key, matches);
  return matches;
}

// The same with scores, when there are no more than `limit`; without (and
// so not ranked by them) when there are more. With `only`, the case
// studies that may be on the page (in order of id), the others are not
// scored: kept under `only_key`, which names them.
StatusOr<MatchesPtr> scored_matches(Connection& c, const store::TextIndex& index, const Snapshot& snapshot,
                                    const std::string& words, size_t limit, const std::vector<int64_t>* only,
                                    const std::string& only_key) {
  std::vector<std::pair<int64_t, double>> found;
  store::MatchColumns columns;
  columns.score = true;
  columns.score_limit = limit;
  std::vector<Value> params{words};
  if (only) {
    params.emplace_back(index.packed_ids(*only));
    columns.score_only_param = 2;
  }
  Status s = c.query_each("SELECT id, score FROM (" + index.matches_sql(1, columns) + ") m", params,
                          [&](const Row& r) {
                            found.emplace_back(r.integer(0), r.real(1));
                            return Status::Ok();
                          });
  if (!s.ok()) return s;
  if (!std::is_sorted(found.begin(), found.end())) std::sort(found.begin(), found.end());
  std::vector<int64_t> ids;
  std::vector<double> scores;
  for (const auto& [id, score] : found) {
    ids.push_back(id);
    scores.push_back(score);
  }
  const bool ranked = found.size() <= limit;
  MatchesPtr matches = matches_of(*snapshot.rows, ids, ranked ? &scores : nullptr);
  matches_cache().keep(snapshot.stamp, !ranked ? "ids\n" + words : "scored\n" + words + (only ? only_key : ""),
                       matches);
  return matches;
}

// Whether `query` may well match a good part of the library: one word, or
// one term with several forms (co-production). Two words or a phrase
// rarely do.
bool may_match_many(const store::TextQuery& query) {
  return query.terms.size() == 1 && (query.terms[0].size() > 1 || query.terms[0][0].words.size() == 1);
}

// Runs the search on `c`.
StatusOr<SearchResult> run_search(Connection& c, store::TextIndex& index, const SearchQuery& query) {
  SearchResult result;
  const int per_page = std::clamp(query.per_page, 1, kMaxPerPage);
  result.page = std::max(query.page, 1);

  const store::TextQuery typed = text_query(query.q);
  const std::string words = index.engine_query(typed);
  const bool by_words = !words.empty();

  auto snapshot = rows_cache().get(c);
  if (!snapshot.ok()) return snapshot.status();
  const Rows& rows = *snapshot->rows;
  const int64_t stamp = snapshot->stamp;

  // The names of the organisations whose library is searched, for the case
  // studies not read from a feed: one, or every one (a deployment has few).
  std::unordered_map<int64_t, std::string> organisation_names;
  auto keep_name = [&](const Row& r) {
    organisation_names.emplace(r.integer(0), r.text(1));
    return Status::Ok();
  };
  Status named = query.organisation_id ? c.query_each("SELECT id, name FROM organisations WHERE id = $1",
                                                      {*query.organisation_id}, keep_name)
                                       : c.query_each("SELECT id, name FROM organisations", {}, keep_name);
  if (!named.ok()) return named;
  const std::string no_name;
  std::vector<const std::string*> name_of(rows.organisation_ids.size(), &no_name);
  for (size_t i = 0; i < rows.organisation_ids.size(); ++i)
    if (auto it = organisation_names.find(rows.organisation_ids[i]); it != organisation_names.end())
      name_of[i] = &it->second;

  // Which case studies may be shown at all.
  const bool one_library = query.organisation_id.has_value();
  uint32_t library = kNoValue;  // the organisation's index, when it has case studies
  if (one_library)
    for (size_t i = 0; i < rows.organisation_ids.size(); ++i)
      if (rows.organisation_ids[i] == *query.organisation_id) library = static_cast<uint32_t>(i);
  const bool unpublished = one_library && query.include_unpublished;

  // The filters chosen, as the numbers the entries hold.
  const std::array<const std::string*, kFacets> chosen = {&query.setting, &query.rung, &query.principle,
                                                          &query.area_of_care, &query.organisation};
  std::array<bool, kFacets> filtered{};
  for (int f = 0; f < kFacets; ++f) filtered[f] = !chosen[f]->empty();
  const uint32_t setting = value_id(rows, query.setting), rung = value_id(rows, query.rung),
                 area_of_care = value_id(rows, query.area_of_care);
  uint32_t principle_bit = 0;  // 0: no principle chosen, or one not in the vocabulary
  for (size_t i = 0; i < principles().size() && i < 32; ++i)
    if (principles()[i].first == query.principle) principle_bit = uint32_t{1} << i;
  // The organisation chosen: a feed's organisation, or one whose case
  // studies these are (or both, when the names are the same).
  const uint32_t source = query.organisation.empty() ? kNoValue : value_id(rows, query.organisation);
  std::vector<char> organisation_chosen(rows.organisation_ids.size(), 0);
  for (size_t i = 0; i < name_of.size(); ++i)
    organisation_chosen[i] = !query.organisation.empty() && *name_of[i] == query.organisation;

  // Whether `e` may be shown and passes every filter: whether it may be on
  // the page.
  auto candidate = [&](const Entry& e) {
    if (one_library) {
      if (e.organisation != library) return false;
      if (e.status != kPublished && !(unpublished && (e.status == kDraft || e.status == kInReview))) return false;
    } else if (e.status != kPublished) {
      return false;
    }
    return (!filtered[kSetting] || e.setting == setting) && (!filtered[kRung] || e.rung == rung) &&
           (!filtered[kPrinciple] || (e.principles & principle_bit) != 0) &&
           (!filtered[kAreaOfCare] || e.area_of_care == area_of_care) &&
           (!filtered[kOrganisation] ||
            (e.source != 0 ? e.source == source : organisation_chosen[e.organisation] != 0));
  };

  // The matches, with their scores when ranked by them. Scoring costs a
  // microsecond or two a match, so words likely to match many are listed
  // first (which costs least) and scored only when they match few enough;
  // others are scored as they are listed, the first kRankLimit only. Only
  // the case studies that may be on the page are scored, when they are
  // fewer than half.
  MatchesPtr matches;
  bool by_score = false;
  bool by_place = false;  // ranked by where the words are, newest first within each place
  if (by_words) {
    const bool relevance = query.sort != "newest";
    std::string only_key = "\n" + std::to_string(query.organisation_id.value_or(-1)) +
                           (unpublished ? "+" : "-");
    for (const std::string* v : chosen) only_key += std::to_string(v->size()) + ":" + *v;
    if (relevance) {
      matches = matches_cache().find(stamp, "scored\n" + words);
      if (!matches) matches = matches_cache().find(stamp, "scored\n" + words + only_key);
      if (!matches) matches = matches_cache().find(stamp, "ids\n" + words);
      if (!matches && may_match_many(typed)) {
        auto found = all_matches(c, index, *snapshot, words);
        if (!found.ok()) return found.status();
        matches = *found;
      }
      if (!matches || (matches->count <= kRankLimit && !matches->scored)) {
        std::vector<int64_t> only;
        for (const Entry& e : rows.entries)
          if (candidate(e)) only.push_back(e.id);
        const bool some = only.size() * 2 < rows.entries.size();
        auto found = scored_matches(c, index, *snapshot, words, kRankLimit, some ? &only : nullptr, only_key);
        if (!found.ok()) return found.status();
        matches = *found;
      }
      by_score = matches->count <= kRankLimit;
    } else {
      auto found = all_matches(c, index, *snapshot, words);
      if (!found.ok()) return found.status();
      matches = *found;
    }
    by_place = relevance && !by_score;
  }

  // One pass over every case study the words (and visibility) allow: the
  // total, the count beside each filter value, and the page's candidates.
  // A case study failing one filter counts only among that filter's
  // values; one failing two counts nowhere.
  std::array<std::vector<int64_t>, kFacets> counts;
  for (int f : {kSetting, kRung, kAreaOfCare, kOrganisation}) counts[f].assign(rows.values.size(), 0);
  counts[kPrinciple].assign(32, 0);
  std::vector<int64_t> own_counts(rows.organisation_ids.size(), 0);  // organisation facet, not from a feed
  std::vector<Candidate> candidates;
  candidates.reserve(by_words ? std::min(matches->count, rows.entries.size()) : rows.entries.size());
  auto visit = [&](uint32_t entry, double score) {
    const Entry& e = rows.entries[entry];
    if (one_library) {
      if (e.organisation != library) return;
      if (e.status != kPublished && !(unpublished && (e.status == kDraft || e.status == kInReview))) return;
    } else if (e.status != kPublished) {
      return;
    }
    int failed = -1;  // the one filter failed, if one was
    int failures = 0;
    auto check = [&](int f, bool ok) {
      if (!filtered[f] || ok) return;
      failed = f;
      ++failures;
    };
    check(kSetting, e.setting == setting);
    check(kRung, e.rung == rung);
    check(kPrinciple, (e.principles & principle_bit) != 0);
    check(kAreaOfCare, e.area_of_care == area_of_care);
    check(kOrganisation, e.source != 0 ? e.source == source : organisation_chosen[e.organisation] != 0);
    if (failures > 1) return;
    auto counted = [&](int f) { return failures == 0 || f == failed; };
    if (counted(kSetting)) ++counts[kSetting][e.setting];
    if (counted(kRung)) ++counts[kRung][e.rung];
    if (counted(kAreaOfCare)) ++counts[kAreaOfCare][e.area_of_care];
    if (counted(kPrinciple))
      for (uint32_t bits = e.principles; bits != 0; bits &= bits - 1) ++counts[kPrinciple][std::countr_zero(bits)];
    if (counted(kOrganisation)) {
      if (e.source != 0)
        ++counts[kOrganisation][e.source];
      else
        ++own_counts[e.organisation];
    }
    if (failures == 0) candidates.push_back({e.id, e.time, score, entry});
  };
  if (by_words) {
    const bool scored = by_score && matches->scored;
    size_t k = 0;  // the match's place among those set
    for (size_t w = 0; w < matches->bits.size(); ++w)
      for (uint64_t bits = matches->bits[w]; bits != 0; bits &= bits - 1, ++k)
        visit(static_cast<uint32_t>(w * 64 + static_cast<size_t>(std::countr_zero(bits))),
              scored ? matches->scores[k] : 0);
  } else {
    for (size_t i = 0; i < rows.entries.size(); ++i) visit(static_cast<uint32_t>(i), 0);
  }

  // The counts by the values people see.
  std::array<std::unordered_map<std::string, int64_t>, kFacets> by_value;
  for (int f : {kSetting, kRung, kAreaOfCare, kOrganisation})
    for (size_t v = 1; v < rows.values.size(); ++v)
      if (counts[f][v] > 0) by_value[f][rows.values[v]] += counts[f][v];
  for (size_t i = 0; i < principles().size() && i < 32; ++i)
    if (counts[kPrinciple][i] > 0) by_value[kPrinciple][principles()[i].first] = counts[kPrinciple][i];
  for (size_t i = 0; i < own_counts.size(); ++i)
    if (own_counts[i] > 0) by_value[kOrganisation][*name_of[i]] += own_counts[i];

  result.total = static_cast<int64_t>(candidates.size());
  result.pages = static_cast<int>((result.total + per_page - 1) / per_page);
  result.facets[kFacetNames[kSetting]] = vocabulary_facet(settings(), by_value[kSetting], query.setting);
  result.facets[kFacetNames[kRung]] = vocabulary_facet(involvement::ladder_rungs(), by_value[kRung], query.rung);
  result.facets[kFacetNames[kPrinciple]] = vocabulary_facet(principles(), by_value[kPrinciple], query.principle);
  result.facets[kFacetNames[kAreaOfCare]] = named_facet(by_value[kAreaOfCare], query.area_of_care);
  result.facets[kFacetNames[kOrganisation]] = named_facet(by_value[kOrganisation], query.organisation);

  const int64_t first = static_cast<int64_t>(result.page - 1) * per_page;
  if (first >= result.total) return result;
  const int64_t last = std::min<int64_t>(first + per_page, result.total);

  if (by_place) {
    // All the words in the title first, then in the title or summary, then
    // anywhere. Listing the matches reads the index but scores nothing.
    auto mark = [&](const store::TextQuery& where, double place) -> StatusOr<int64_t> {
      auto found = all_matches(c, index, *snapshot, index.engine_query(where));
      if (!found.ok()) return found.status();
      int64_t marked = 0;
      for (Candidate& k : candidates) {
        if (k.score > place && (*found)->has(k.entry)) {
          k.score = place;
          ++marked;
        }
      }
      return marked;
    };
    for (Candidate& k : candidates) k.score = 2;
    store::TextQuery in_title = typed;
    in_title.fields = {kTitle};
    auto in_titles = mark(in_title, 0);
    if (!in_titles.ok()) return in_titles.status();
    // When the page is all titles, the rest need no telling apart.
    if (*in_titles < last) {
      store::TextQuery in_title_or_summary = typed;
      in_title_or_summary.fields = {kTitle, kSummary};
      auto in_summaries = mark(in_title_or_summary, 1);
      if (!in_summaries.ok()) return in_summaries.status();
    }
  }

  // The page: only its candidates need sorting into place.
  std::partial_sort(candidates.begin(), candidates.begin() + last, candidates.end(), before);

  const std::string hit_sql =
      "SELECT cs.title, cs.summary, cs.setting, cs.rung, cs.area_of_care, cs.status,"
      " COALESCE(cs.published_at, ''), cs.updated_at, " +
      std::string(kOrganisationNameSql) +
      ", sub.url FROM library_case_studies cs"
      " LEFT JOIN library_subscriptions sub ON sub.id = cs.subscription_id WHERE cs.id = $1";
  std::string snippet_sql, snippet_words;
  if (by_words) {
    snippet_words = index.engine_query(text_query(query.q, true));
    store::MatchColumns columns;
    // The summary when the words are in it, else the story around them.
    columns.snippet_fields = {kSummary, kBody};
    columns.snippet_words = kSnippetWords;
    snippet_sql = "SELECT m.snippet FROM (" + index.matches_sql(1, columns) + ") m WHERE m.id = $2";
  }
  for (int64_t i = first; i < last; ++i) {
    int64_t id = candidates[static_cast<size_t>(i)].id;
    auto row = c.query_one(hit_sql, {id});
    if (!row.ok() && row.status().code() == StatusCode::kNotFound) continue;  // search's copy out of step
    if (!row.ok()) return row.status();
    SearchHit h;
    h.id = id;
    h.title = row->text(0);
    h.summary = row->text(1);
    h.setting = row->text(2);
    h.rung = row->text(3);
    h.area_of_care = row->text(4);
    h.status = row->text(5);
    h.published_at = row->text(6);
    h.updated_at = row->text(7);
    h.organisation = row->text(8);
    h.source = row->optional_text(9);
    h.snippet_html = escape_html(h.summary);
    if (by_words) {
      auto snippet = c.query_one(snippet_sql, {snippet_words, id});
      if (snippet.ok())
        h.snippet_html = snippet_html(snippet->text(0));
      else if (snippet.status().code() != StatusCode::kNotFound)
        return snippet.status();
    }
    result.hits.push_back(std::move(h));
  }
  return result;
}

}  // namespace

StatusOr<SearchResult> search(store::Database& db, const SearchQuery& query) {
  auto index = case_study_index(db.dialect());
  if (!index.ok()) return index.status();
  auto conn = db.connection();
  if (!conn.ok()) return conn.status();
  Connection& c = **conn;
  // Before any case study is written the index may not exist yet.
  if (Status s = (*index)->ensure(c); !s.ok()) return s;
  if (c.in_transaction()) return run_search(c, **index, query);
  // One snapshot for the counts and the page, while writers carry on.
  store::Transaction tx(c, store::TransactionMode::kRead);
  if (!tx.status().ok()) return tx.status();
  auto result = run_search(c, **index, query);
  if (!result.ok()) return result;
  if (Status s = tx.commit(); !s.ok()) return s;
  return result;
}

Status index_case_study(store::Connection& c, int64_t id, const std::string& title, const std::string& summary,
                        const std::string& body) {
  auto index = store::make_text_index(c, kIndexName, index_fields());
  if (!index.ok()) return index.status();
  if (Status s = (*index)->ensure(c); !s.ok()) return s;
  if (Status s = (*index)->put(c, id, {title, summary, body}); !s.ok()) return s;
  return refresh_search_row(c, id);
}

Status case_study_changed(store::Connection& c, int64_t id) { return refresh_search_row(c, id); }

Status unindex_case_study(store::Connection& c, int64_t id) {
  auto index = store::make_text_index(c, kIndexName, index_fields());
  if (!index.ok()) return index.status();
  if (Status s = (*index)->ensure(c); !s.ok()) return s;
  if (Status s = (*index)->remove(c, id); !s.ok()) return s;
  return refresh_search_row(c, id);
}

}  // namespace coproduce::library
